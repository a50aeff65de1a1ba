// Package web holds the portal's presentation assets: the templ components
// (in layout, components and pages), the static files served under /static/
// and the message catalogs. This file embeds the static files and catalogs
// into the binary, since //go:embed cannot reach into a parent folder.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS

//go:embed i18n/*.json
var catalogs embed.FS

// Static is the tree of static files (CSS, icons) served under /static/.
var Static = mustSub(static, "static")

// Catalogs holds the message catalogs, one <lang>.json per language.
var Catalogs = mustSub(catalogs, "i18n")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // dir is a literal embedded above
	}
	return sub
}
