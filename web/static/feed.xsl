<?xml version="1.0" encoding="utf-8"?>
<!-- Renders the portal's Atom feed readably when a browser opens it: the
     feed's title, how to subscribe, and each entry with its date, summary
     and link. Feed readers ignore this stylesheet. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:variable name="en" select="/atom:feed/@xml:lang = 'en'"/>
  <xsl:template match="/atom:feed">
    <html lang="{@xml:lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/></title>
        <link rel="stylesheet" href="/static/portal.css"/>
      </head>
      <body>
        <main id="main" class="wrap">
          <h1 id="page-title"><xsl:value-of select="atom:title"/></h1>
          <p class="lead"><xsl:value-of select="atom:subtitle"/></p>
          <p class="notice">
            <xsl:choose>
              <xsl:when test="$en">This is an Atom feed. Copy this page's address into a feed reader to be told of every publication and correction.</xsl:when>
              <xsl:otherwise>Atom 피드입니다. 이 페이지의 주소를 피드 리더에 붙여 넣으면 모든 결과 공개와 정정을 알려 줍니다.</xsl:otherwise>
            </xsl:choose>
            <xsl:text> </xsl:text>
            <a href="{atom:link[@rel='alternate' and @type='text/html']/@href}">
              <xsl:choose>
                <xsl:when test="$en">Back to the portal</xsl:when>
                <xsl:otherwise>포털로 돌아가기</xsl:otherwise>
              </xsl:choose>
            </a>
          </p>
          <ol class="feed-entries">
            <xsl:for-each select="atom:entry">
              <li class="card">
                <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
                <p class="meta"><time datetime="{atom:updated}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time></p>
                <p><xsl:value-of select="atom:summary"/></p>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
