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
	if r == nil {
		return new(big.Rat)
	}
	return new(big.Rat).SetFrac(roundedCents(r), hundred)
}

// roundedCents returns r×100 rounded half away from zero, as an integer.
func roundedCents(r *big.Rat) *big.Int {
	// floor((2·|num|·100 + den) / (2·den)) = floor(|r|·100 + ½).
	num := new(big.Int).Mul(r.Num(), hundred)
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
	if r == nil {
		return ""
	}
	c := roundedCents(r)
	sign := ""
	if c.Sign() < 0 {
		sign = "-"
		c.Neg(c)
	}
	q, m := new(big.Int).QuoRem(c, hundred, new(big.Int))
	return fmt.Sprintf("%s%s.%02d", sign, q.String(), m.Int64())
}
