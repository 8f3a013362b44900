package citylinks_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

func TestMoney(t *testing.T) {
	cases := []struct {
		amount, currency string
		want             int64
		decimal          string
	}{
		{"1234.5", "USD", 123450, "1234.50"},
		{"0.07", "USD", 7, "0.07"},
		{"5000", "JPY", 5000, "5000"},
		{"1.234", "KWD", 1234, "1.234"},
		{"12", "RWF", 12, "12"},
	}
	for _, tc := range cases {
		m, err := citylinks.ParseMoney(tc.amount, tc.currency)
		require.NoError(t, err, "%s %s", tc.amount, tc.currency)
		assert.Equal(t, tc.want, m.Amount)
		assert.Equal(t, tc.decimal, m.Decimal())
	}
	for _, bad := range [][2]string{{"1.234", "USD"}, {"1.5", "JPY"}, {"-1", "USD"}, {"1e3", "USD"}, {"1", "usd"}, {"1", "US"}, {"", "USD"}, {"99999999999999999999", "USD"}} {
		_, err := citylinks.ParseMoney(bad[0], bad[1])
		assert.ErrorIs(t, err, citylinks.ErrInvalid, "ParseMoney(%q, %q)", bad[0], bad[1])
	}
	a := citylinks.Money{Amount: 150, Currency: "USD"}
	s, err := a.Add(citylinks.Money{Amount: 50, Currency: "USD"})
	require.NoError(t, err)
	assert.Equal(t, "2.00 USD", s.String())
	_, err = a.Add(citylinks.Money{Amount: 1, Currency: "EUR"})
	assert.ErrorIs(t, err, citylinks.ErrInvalid)
	z, err := citylinks.Money{}.Add(a)
	require.NoError(t, err)
	assert.Equal(t, a, z)
}

func TestActor(t *testing.T) {
	a := citylinks.Actor{ID: "ana@icma.org", Organization: "icma", Roles: []citylinks.Role{citylinks.RoleFacilitator}}
	require.NoError(t, a.Validate())
	assert.True(t, a.Has(citylinks.RoleFacilitator))
	assert.False(t, a.Has(citylinks.RoleFunder))
	a.Roles = append(a.Roles, "admin")
	assert.ErrorIs(t, a.Validate(), citylinks.ErrInvalid)
}
