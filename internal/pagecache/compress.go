package pagecache

import (
	"bytes"
	"mime"
	"strings"

	"github.com/klauspost/compress/gzip"

	"github.com/andybalholm/brotli"
)

// minCompress is the smallest body worth compressing.
const minCompress = 512

// compressible reports whether a body of contentType and size is stored
// compressed too: text, JSON, XML, CSV and SVG of at least minCompress bytes.
func compressible(contentType string, size int) bool {
	if size < minCompress {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "json") || strings.HasSuffix(mt, "xml") ||
		mt == "image/svg+xml"
}

// gzipped compresses b with gzip at the best compression: a body is
// compressed once per change of the record and served many times.
// klauspost/compress makes the same bytes as the standard library's
// level 9 in about half the time.
func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// brotlied compresses b with brotli at quality 5. A body is compressed
// when it is rendered, before its first visitor gets it, and every hot page
// is rebuilt after each change: quality 11 saves about a seventh of the
// bytes of a page but costs some 30 times the time (hundreds of
// milliseconds a page instead of a few), which would delay every
// publication. Large downloads use quality 4.
func brotlied(b []byte) []byte {
	q := 5
	if len(b) > 1<<20 {
		q = 4
	}
	var buf bytes.Buffer
	zw := brotli.NewWriterLevel(&buf, q)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}
