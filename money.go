package citylinks

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/citylinks/citylinks/internal/errtext"
)

// Money is an amount in the minor units of an ISO 4217 currency (cents for
// USD): never a float. The zero value is "no amount".
type Money struct {
	Amount   int64  `json:"amount"`   // in minor units
	Currency string `json:"currency"` // ISO 4217 alphabetic code, e.g. "USD"
}

// currencyExponents lists the ISO 4217 currencies whose minor unit is not
// two decimal places (ISO 4217 list one, "minor unit" column, as maintained
// by SIX Group). Every other valid code has two.
var currencyExponents = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
	"PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// CurrencyExponent returns the number of decimal places of the currency's
// minor unit: 2 for most, 0 for JPY or RWF, 3 for KWD.
func CurrencyExponent(code string) int {
	if e, ok := currencyExponents[code]; ok {
		return e
	}
	return 2
}

// Validate reports whether m has a well-formed currency code (three
// upper-case letters) and a non-negative amount. Package report checks codes
// against the IATI Currency codelist where it writes IATI.
func (m Money) Validate() error {
	if len(m.Currency) != 3 || strings.ToUpper(m.Currency) != m.Currency || strings.Trim(m.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return invalid("currency", "%q is not an ISO 4217 code such as \"USD\"", errtext.Clip(m.Currency))
	}
	if m.Amount < 0 {
		return invalid("amount", "%d is negative", m.Amount)
	}
	return nil
}

// IsZero reports whether m is the zero Money.
func (m Money) IsZero() bool { return m == Money{} }

// Decimal returns the amount in major units as an exact decimal string,
// e.g. "1234.50" for 123450 USD cents.
func (m Money) Decimal() string {
	e := CurrencyExponent(m.Currency)
	neg := m.Amount < 0
	a := m.Amount
	if neg {
		a = -a
	}
	s := strconv.FormatInt(a, 10)
	if e > 0 {
		for len(s) <= e {
			s = "0" + s
		}
		s = s[:len(s)-e] + "." + s[len(s)-e:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// String returns e.g. "1234.50 USD".
func (m Money) String() string { return m.Decimal() + " " + m.Currency }

// ParseMoney parses a decimal amount in major units and a currency code,
// e.g. ParseMoney("1234.5", "USD") is 123450 cents. More decimal places than
// the currency has are an error, not a rounding.
func ParseMoney(amount, currency string) (Money, error) {
	m := Money{Currency: currency}
	if err := (Money{Currency: currency}).Validate(); err != nil {
		return Money{}, err
	}
	e := CurrencyExponent(currency)
	whole, frac, hasFrac := strings.Cut(strings.TrimSpace(amount), ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || (hasFrac && strings.Trim(frac, "0123456789") != "") {
		return Money{}, invalid("amount", "%q is not a decimal amount", errtext.Clip(amount))
	}
	if len(frac) > e {
		return Money{}, invalid("amount", "%q has more than %d decimal places for %s", errtext.Clip(amount), e, currency)
	}
	frac += strings.Repeat("0", e-len(frac))
	v, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return Money{}, invalid("amount", "%q is out of range", errtext.Clip(amount))
	}
	m.Amount = v
	return m, nil
}

// Add returns m + n. Adding amounts in different currencies is an error.
func (m Money) Add(n Money) (Money, error) {
	switch {
	case m.IsZero():
		return n, nil
	case n.IsZero():
		return m, nil
	case m.Currency != n.Currency:
		return Money{}, fmt.Errorf("citylinks: cannot add %s to %s: %w", n.Currency, m.Currency, ErrInvalid)
	}
	s := m.Amount + n.Amount
	if (s > m.Amount) != (n.Amount > 0) {
		return Money{}, fmt.Errorf("citylinks: money overflow: %w", ErrInvalid)
	}
	return Money{Amount: s, Currency: m.Currency}, nil
}
