package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
)

// staticFiles serves the embedded static files. Pages link them with a
// content hash in the query string, so they can be cached for a year and
// still change with every release that changes them.
type staticFiles struct {
	fsys    fs.FS
	version map[string]string
	files   http.Handler
}

func newStaticFiles(fsys fs.FS) (*staticFiles, error) {
	st := &staticFiles{fsys: fsys, version: map[string]string{}, files: http.FileServerFS(fsys)}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		st.version[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	return st, nil
}

// URL returns the versioned URL of a static file.
func (st *staticFiles) URL(name string) string {
	if v, ok := st.version[name]; ok {
		return "/static/" + name + "?v=" + v
	}
	return "/static/" + name
}

// ServeHTTP serves a file under /static/; directories are not listed.
func (st *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	if _, ok := st.version[name]; !ok {
		w.Header().Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + name
	st.files.ServeHTTP(w, r2)
}
