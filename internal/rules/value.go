package rules

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// ErrValueSyntax is returned by ParseValue for text that is not a plain
// non-negative decimal with at most two decimals.
var ErrValueSyntax = errors.New("not a non-negative decimal with at most two decimals")

var (
	hundred = big.NewInt(100)
	two     = big.NewInt(2)
)

// ParseValue reads a score value written as ASCII digits with an optional
// decimal point followed by one or two digits: "35", "9.2", "31.60", "0".
// It rejects signs, exponents, thousands separators, commas as decimal
// marks, surrounding spaces, more than two decimals, and a missing integer
// or fraction part (".5", "5.").
func ParseValue(s string) (*big.Rat, error) {
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if !digitsOnly(intPart) || (hasPoint && (!digitsOnly(frac) || len(frac) > 2)) {
		return nil, fmt.Errorf("rules: parse value %q: %w", s, ErrValueSyntax)
	}
	// The text is now a valid argument for SetString, which is exact.
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("rules: parse value %q: %w", s, ErrValueSyntax)
	}
	return r, nil
}

func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// RoundCents returns r rounded half-up to two decimals, as a new value.
// Negative values round half away from zero (-0.125 → -0.13), the mirror
// image of the non-negative case. A nil r counts as zero.
func RoundCents(r *big.Rat) *big.Rat {
	return RoundTo(r, 2)
}

// RoundTo returns r rounded half-up to the given number of decimals (0 to
// 18), as a new value; negative values round half away from zero. A nil r
// counts as zero.
func RoundTo(r *big.Rat, decimals int) *big.Rat {
	if r == nil {
		return new(big.Rat)
	}
	return new(big.Rat).SetFrac(roundedUnits(r, decimals), pow10(decimals))
}

// pow10 returns 10^d as a new integer.
func pow10(d int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d)), nil)
}

// roundedUnits returns r×10^d rounded half away from zero, as an integer.
func roundedUnits(r *big.Rat, d int) *big.Int {
	// floor((2·|num|·10^d + den) / (2·den)) = floor(|r|·10^d + ½).
	num := new(big.Int).Mul(r.Num(), pow10(d))
	neg := num.Sign() < 0
	num.Abs(num)
	num.Mul(num, two)
	num.Add(num, r.Denom())
	den := new(big.Int).Mul(r.Denom(), two)
	num.Quo(num, den)
	if neg {
		num.Neg(num)
	}
	return num
}

// FormatCents prints r rounded half-up to two decimals with exactly two
// decimals: "90.20", "0.00", "-1.50". A nil r, meaning "unknown", prints
// as the empty string.
func FormatCents(r *big.Rat) string {
	return FormatDecimals(r, 2)
}

// FormatDecimals prints r rounded half-up to the given number of decimals
// (0 to 18) with exactly that many: "70.6" for one, "90.20" for two. A nil
// r, meaning "unknown", prints as the empty string.
func FormatDecimals(r *big.Rat, decimals int) string {
	if r == nil {
		return ""
	}
	u := roundedUnits(r, decimals)
	sign := ""
	if u.Sign() < 0 {
		sign = "-"
		u.Neg(u)
	}
	if decimals == 0 {
		return sign + u.String()
	}
	q, m := new(big.Int).QuoRem(u, pow10(decimals), new(big.Int))
	frac := m.String()
	return sign + q.String() + "." + strings.Repeat("0", decimals-len(frac)) + frac
}
