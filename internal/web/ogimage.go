package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"strconv"

	"github.com/kai-challenge/portal/internal/postgres"
)

// The Open Graph images of round and team pages are PNG (what link
// previews on social sites and messengers read), drawn with the standard
// library alone: a bar per published total, without text, so they need no
// font; the page's og:image:alt says what they show.
const (
	ogWidth, ogHeight = 1200, 630
	ogBand            = 96  // the portal-coloured band at the top
	ogMargin          = 72  // around the bars
	ogScale           = 100 // points at full width, unless a total exceeds it
)

var (
	ogNavy  = color.RGBA{0x12, 0x35, 0x5b, 0xff} // the portal's primary colour
	ogBlue  = color.RGBA{0x4f, 0x8f, 0xc0, 0xff}
	ogPale  = color.RGBA{0xdd, 0xe6, 0xf0, 0xff}
	ogWhite = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// ogBar is one bar: a total (nil when none was published) and whether it is
// highlighted (the team advanced, or it is the page's own team).
type ogBar struct {
	value     *float64
	highlight bool
}

// drawOG draws the bars, top to bottom, below the band; a bar without a
// value is a short pale stub so the team still counts.
func drawOG(bars []ogBar) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, ogWidth, ogHeight))
	draw.Draw(img, img.Bounds(), image.NewUniform(ogWhite), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, ogWidth, ogBand), image.NewUniform(ogNavy), image.Point{}, draw.Src)
	if len(bars) == 0 {
		return img
	}
	scale := float64(ogScale)
	for _, b := range bars {
		if b.value != nil && *b.value > scale {
			scale = *b.value
		}
	}
	top, avail := ogBand+ogMargin/2, ogHeight-ogBand-ogMargin
	step := avail / len(bars)
	thick := max(4, step*2/3)
	full := ogWidth - 2*ogMargin
	for i, b := range bars {
		y := top + i*step
		draw.Draw(img, image.Rect(ogMargin, y, ogMargin+full, y+thick), image.NewUniform(ogPale), image.Point{}, draw.Src)
		w := full / 40
		if b.value != nil {
			w = int(float64(full) * max(0, *b.value) / scale)
		}
		c := ogBlue
		if b.highlight {
			c = ogNavy
		}
		draw.Draw(img, image.Rect(ogMargin, y, ogMargin+w, y+thick), image.NewUniform(c), image.Point{}, draw.Src)
	}
	return img
}

// writeOG encodes img as PNG, cacheable for an hour.
func writeOG(w http.ResponseWriter, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err := w.Write(buf.Bytes())
	return err
}

// totalOf is the published total among scores; nil when none.
func totalOf(scores []postgres.PublicScore, team string) *float64 {
	for _, sc := range scores {
		if sc.Criterion == "total" && (team == "" || sc.Team == team) {
			if v, err := strconv.ParseFloat(sc.Value, 64); err == nil {
				return &v
			}
		}
	}
	return nil
}

// ogImage serves the preview image of the record the path's {slug} names,
// with the bars that bars draws of it.
func ogImage[T any](s *server, read func(ctx context.Context, program, slug string) (T, error), bars func(T) []ogBar) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		_, rec, err := loadSlug(s, r, read)
		if err != nil {
			return err
		}
		return writeOG(w, drawOG(bars(rec)))
	}
}

// roundBars are a round's image: a bar per team with an outcome, its
// published total, teams that went through highlighted.
func roundBars(d postgres.PublicRoundDetail) []ogBar {
	var bars []ogBar
	for _, o := range d.Outcomes {
		bars = append(bars, ogBar{value: totalOf(d.Scores, o.Team.Slug),
			highlight: o.Outcome == "advanced" || o.Outcome == "selected"})
	}
	return bars
}

// teamBars are a team's image: a bar per round it entered, its published
// total there, the rounds it went through highlighted.
func teamBars(t postgres.PublicTeamDetail) []ogBar {
	var bars []ogBar
	for _, rd := range t.Rounds {
		if !rd.Published {
			continue
		}
		b := ogBar{value: totalOf(rd.Scores, "")}
		b.highlight = rd.Outcome != nil && (rd.Outcome.Outcome == "advanced" || rd.Outcome.Outcome == "selected")
		bars = append(bars, b)
	}
	return bars
}
