// Package format turns numbers, money, points and dates into the text Korean
// and English readers expect: money in 억원/조원 or ₩…bn, thousands
// separators, calendar dates, timestamps in KST and points with exactly two
// decimals. Every function takes the language ("ko" or "en"; anything but
// "en" is Korean) and has no other state.
package format

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// KST is Korea Standard Time. Korea has no daylight saving time, so a fixed
// zone is exact and needs no time zone database.
var KST = time.FixedZone("KST", 9*60*60)

// Number formats n with thousands separators: 1024 → "1,024".
func Number(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	s = group(s)
	if neg {
		return "-" + s
	}
	return s
}

// group inserts thousands separators into a string of digits.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Points formats a decimal string with exactly two decimals, rounding half
// away from zero: "9.2" → "9.20", "90.2" → "90.20". A value that is not a
// decimal is returned unchanged.
func Points(v string) string {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(v))
	if !ok {
		return v
	}
	return r.FloatString(2)
}

// Figure formats a published figure with the decimals it was published
// with, which are its round's (the store rounds every public figure to
// them): "70.6" on a one-decimal round, "90.20" on a two-decimal one. At
// most four decimals are kept; a value that is not a decimal is returned
// unchanged.
func Figure(v string) string {
	v = strings.TrimSpace(v)
	r, ok := new(big.Rat).SetString(v)
	if !ok {
		return v
	}
	dec := 0
	if _, frac, found := strings.Cut(v, "."); found {
		dec = min(len(frac), 4)
	}
	return r.FloatString(dec)
}

// decimal formats num/den with at most maxDec decimals (rounded half away
// from zero, trailing zeros dropped) and thousands separators.
func decimal(num, den int64, maxDec int) string {
	s := new(big.Rat).SetFrac64(num, den).FloatString(maxDec)
	intPart, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	intPart = group(intPart)
	if frac == "" {
		return intPart
	}
	return intPart + "." + frac
}

const (
	man = int64(10_000)
	eok = int64(100_000_000)
	jo  = int64(1_000_000_000_000)
)

// Money formats an amount in won. Korean uses 억/조 units: 200000000000 →
// "2,000억원", 1300000000000 → "1조 3,000억원", 1175000000 → "11.75억원".
// English uses ₩ with m/bn/tn: "₩200bn", "₩2.8bn", "₩1.3tn".
func Money(lang string, krw int64) string {
	if krw < 0 {
		return "-" + Money(lang, -krw)
	}
	if lang == "en" {
		switch {
		case krw >= jo:
			return "₩" + decimal(krw, jo, 3) + "tn"
		case krw >= 1_000_000_000:
			return "₩" + decimal(krw, 1_000_000_000, 3) + "bn"
		case krw >= 1_000_000:
			return "₩" + decimal(krw, 1_000_000, 3) + "m"
		default:
			return "₩" + Number(krw)
		}
	}
	switch {
	case krw >= jo:
		s := Number(krw/jo) + "조"
		if rest := krw % jo; rest > 0 {
			s += " " + decimal(rest, eok, 4) + "억"
		}
		return s + "원"
	case krw >= eok:
		return decimal(krw, eok, 4) + "억원"
	case krw >= man:
		return decimal(krw, man, 4) + "만원"
	default:
		return Number(krw) + "원"
	}
}

var enMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// Date formats a calendar date as stored (no time zone conversion):
// "2026년 1월 15일" or "15 Jan 2026".
func Date(lang string, d time.Time) string {
	if lang == "en" {
		return fmt.Sprintf("%d %s %d", d.Day(), enMonths[d.Month()-1], d.Year())
	}
	return fmt.Sprintf("%d년 %d월 %d일", d.Year(), int(d.Month()), d.Day())
}

// DateRange formats two calendar dates, leaving out what the second repeats:
// "2026년 1월 23일 ~ 2월 12일" or "23 Jan – 12 Feb 2026".
func DateRange(lang string, from, to time.Time) string {
	sameYear := from.Year() == to.Year()
	if lang == "en" {
		if sameYear && from.Month() == to.Month() {
			return fmt.Sprintf("%d–%s", from.Day(), Date(lang, to))
		}
		if sameYear {
			return fmt.Sprintf("%d %s – %s", from.Day(), enMonths[from.Month()-1], Date(lang, to))
		}
		return Date(lang, from) + " – " + Date(lang, to)
	}
	switch {
	case sameYear && from.Month() == to.Month():
		return fmt.Sprintf("%s ~ %d일", Date(lang, from), to.Day())
	case sameYear:
		return fmt.Sprintf("%s ~ %d월 %d일", Date(lang, from), int(to.Month()), to.Day())
	default:
		return Date(lang, from) + " ~ " + Date(lang, to)
	}
}

// DateKST formats the KST calendar date of an instant.
func DateKST(lang string, t time.Time) string {
	return Date(lang, t.In(KST))
}

// DateTime formats an instant in KST: "2026년 1월 15일 14:00 KST" or
// "15 Jan 2026, 14:00 KST".
func DateTime(lang string, t time.Time) string {
	k := t.In(KST)
	if lang == "en" {
		return fmt.Sprintf("%s, %02d:%02d KST", Date(lang, k), k.Hour(), k.Minute())
	}
	return fmt.Sprintf("%s %02d:%02d KST", Date(lang, k), k.Hour(), k.Minute())
}

// Announcement formats an announcement time: the KST date alone when only
// the day is known, the date and time otherwise.
func Announcement(lang string, t time.Time, dateOnly bool) string {
	if dateOnly {
		return DateKST(lang, t)
	}
	return DateTime(lang, t)
}
