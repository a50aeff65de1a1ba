package pagecache

import (
	"bytes"
	"compress/gzip"
	"mime"
	"strings"

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
func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// brotliBestMax is the largest body compressed at brotli's best quality.
// Quality 11 costs about ten times quality 5 for a few percent of size: a
// 217 KB round page of a hundred teams took 2.5 s at 11 and 0.18 s at 5
// (13.4 KB against 17.5 KB), time every what-if scenario and every
// rebuild after a change would pay.
const brotliBestMax = 64 << 10

// brotlied compresses b with brotli: the best quality for ordinary pages,
// a faster one for large pages and downloads.
func brotlied(b []byte) []byte {
	q := brotli.BestCompression
	if len(b) > brotliBestMax {
		q = 5
	}
	var buf bytes.Buffer
	zw := brotli.NewWriterLevel(&buf, q)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}
