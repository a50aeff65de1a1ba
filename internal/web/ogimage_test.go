package web_test

import (
	"bytes"
	"image/color"
	"image/png"
	"net/http"
	"strings"
	"testing"
)

// Round and team pages name a 1200×630 PNG preview image that answers, and
// the stage-1 image draws a bar per team with LG's (advanced, 90.2) first
// in the dark colour across most of the width.
func TestOpenGraphImages(t *testing.T) {
	t.Parallel()
	env := newEnv(t, true, false)
	for _, tc := range []struct{ page, image string }{
		{"/rounds/stage-1", "/og/rounds/stage-1.png"},
		{"/en/rounds/document-review", "/og/rounds/document-review.png"},
		{"/teams/lg", "/og/teams/lg.png"},
		{"/en/teams/naver-cloud", "/og/teams/naver-cloud.png"},
	} {
		doc := parseHTML(t, get(t, env.h, tc.page).body)
		if got := doc.Find(`meta[property="og:image"]`).AttrOr("content", ""); got != baseURL+tc.image {
			t.Errorf("%s: og:image %q, want %q", tc.page, got, baseURL+tc.image)
		}
		if doc.Find(`meta[property="og:image:alt"]`).AttrOr("content", "") == "" ||
			doc.Find(`meta[name="twitter:card"]`).AttrOr("content", "") != "summary_large_image" {
			t.Errorf("%s: no image alt or large card", tc.page)
		}
		r := get(t, env.h, tc.image)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/png" {
			t.Fatalf("%s: %d %q", tc.image, r.status, r.header.Get("Content-Type"))
		}
		img, err := png.Decode(bytes.NewReader([]byte(r.body)))
		if err != nil {
			t.Fatalf("%s: %v", tc.image, err)
		}
		if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 630 {
			t.Errorf("%s: %v", tc.image, b)
		}
		if tc.image == "/og/rounds/stage-1.png" {
			navy := color.RGBAModel.Convert(color.RGBA{0x12, 0x35, 0x5b, 0xff})
			// LG's bar: the first, at 90.2 of 100 points of the 1056-pixel track.
			y := 96 + 36 + 5
			if got := color.RGBAModel.Convert(img.At(72+900, y)); got != navy {
				t.Errorf("stage-1 image: LG's bar at 90%% is %v, want navy", got)
			}
			if got := color.RGBAModel.Convert(img.At(72+1000, y)); got == navy {
				t.Errorf("stage-1 image: LG's bar runs past 90.2 points")
			}
		}
	}
	if r := get(t, env.h, "/og/rounds/no-such-round.png"); r.status != http.StatusNotFound {
		t.Errorf("unknown round image: %d", r.status)
	}
	if strings.Contains(get(t, env.h, "/standings").body, `property="og:image"`) {
		t.Error("standings page names an image it has none of")
	}
}
