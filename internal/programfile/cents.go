package programfile

import "strconv"

// maxCents is contest.MaxPoints in cents.
const maxCents = 9999999

// cents reads a plain decimal of at most two decimals ("9.2", "007.50",
// "40") as a whole number of cents, without allocating: the fast path for
// the hundreds of thousands of scores a large file holds. ok is false for
// anything else (signs, exponents, more decimals, values beyond the
// points domain), which the exact path then reads or refuses.
func cents(s string) (c int64, ok bool) {
	whole, frac := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			whole, frac = s[:i], s[i+1:]
			if frac == "" {
				return 0, false
			}
			break
		}
	}
	if whole == "" || len(whole) > 9 || len(frac) > 2 {
		return 0, false
	}
	for i := 0; i < len(whole); i++ {
		if whole[i] < '0' || whole[i] > '9' {
			return 0, false
		}
		c = c*10 + int64(whole[i]-'0')
	}
	for i := 0; i < 2; i++ {
		c *= 10
		if i < len(frac) {
			if frac[i] < '0' || frac[i] > '9' {
				return 0, false
			}
			c += int64(frac[i] - '0')
		}
	}
	return c, c <= maxCents
}

// formatCents writes cents as a canonical decimal with two decimals.
func formatCents(c int64) string {
	frac := c % 100
	b := strconv.AppendInt(make([]byte, 0, 12), c/100, 10)
	b = append(b, '.', byte('0'+frac/10), byte('0'+frac%10))
	return string(b)
}
