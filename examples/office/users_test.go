package main

import (
	"bytes"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks"
)

func TestReadUsers(t *testing.T) {
	us, err := readUsers(bytes.NewReader(sampleUsers))
	require.NoError(t, err)
	require.Len(t, us.byID, 5)
	u, err := us.check(lee.id, lee.password)
	require.NoError(t, err)
	assert.Equal(t, citylinks.Actor{ID: lee.id, Organization: "city-5577147", Roles: []citylinks.Role{citylinks.RoleCoordinator}}, u.Actor)
	assert.Equal(t, "Lee (Fort Collins coordinator)", u.Name)
	for _, c := range []cred{facilitator, kim, monitor, donor} {
		_, err := us.check(c.id, c.password)
		assert.NoError(t, err, "the README's password of %s", c.id)
	}
	_, err = us.check(lee.id, "LEE-DEMO")
	assert.ErrorIs(t, err, errSignIn)
	_, err = us.check("nobody", "")
	assert.ErrorIs(t, err, errSignIn)
}

func TestReadUsersRefusesBadLines(t *testing.T) {
	hash, err := hashPassword("pw")
	require.NoError(t, err)
	good := "a@x:x:viewer:" + hash + ":A"
	for _, tc := range []struct{ name, file, want string }{
		{"empty", "# nobody\n\n", "no users"},
		{"too few fields", "a@x:x:viewer:" + hash, "line 1: 4 fields"},
		{"bad role", "a@x:x:boss:" + hash + ":A", `line 1: citylinks: invalid actor.roles: "boss" is not a role`},
		{"no id", ":x:viewer:" + hash + ":A", "line 1: citylinks: invalid actor.id"},
		{"plain password", "a@x:x:viewer:secret:A", "line 1: password hash: not a bcrypt hash"},
		{"duplicate", good + "\n" + good + "\n", `line 2: id "a@x" appears twice`},
		{"control character in the name", "a@x:x:viewer:" + hash + ":A\x1b[2J", "holds a control character"},
		{"not UTF-8", "a@x:x:viewer:" + hash + ":\xff", "line 1: not valid UTF-8"},
		{"line too long", good + "\n" + strings.Repeat("x", maxUserLine+1), "line 2: longer than 4096 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readUsers(strings.NewReader(tc.file))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	us, err := readUsers(strings.NewReader("# comment\r\n" + good + "\r\nb@x:x:facilitator,monitor:" + hash + ":B: with a colon\r\n"))
	require.NoError(t, err, "CRLF lines, comments, several roles, a colon in the name")
	assert.Equal(t, "B: with a colon", us.byID["b@x"].Name)
	assert.True(t, us.byID["b@x"].Actor.Has(citylinks.RoleMonitor))
}

// FuzzReadUsers: any users file is read or refused with an error; a user
// read has a valid actor and signs in with nothing but its password.
func FuzzReadUsers(f *testing.F) {
	f.Add(string(sampleUsers))
	f.Add("a@x:x:viewer:$2a$04$abcdefghijklmnopqrstuuP0cCJ5cbqVY1sPSzDTqV8Qr8P0SLp2.:A\n")
	f.Add("::::\n#\n\r\n")
	f.Fuzz(func(t *testing.T, file string) {
		us, err := readUsers(strings.NewReader(file))
		if err != nil {
			return
		}
		for id, u := range us.byID {
			if u.Actor.ID != id || u.Actor.Validate() != nil || len(u.Actor.Roles) == 0 {
				t.Fatalf("user %q: bad actor %+v", id, u.Actor)
			}
		}
	})
}

func TestHashPassword(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, printHash(strings.NewReader("s3cret\n"), &out))
	line := strings.TrimSpace(out.String())
	us, err := readUsers(strings.NewReader("z@x:x:viewer:" + line + ":Z"))
	require.NoError(t, err)
	_, err = us.check("z@x", "s3cret")
	assert.NoError(t, err)
	assert.Error(t, printHash(strings.NewReader("\n"), &out), "an empty password")
}

// TestRecoverer: a handler that panics gets a 500, and the server lives on.
func TestRecoverer(t *testing.T) {
	var logged bytes.Buffer
	h := recoverer(log.New(&logged, "", 0), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.Contains(t, logged.String(), "panic serving GET /x: boom")
}

// TestSafeNext: a sign-in never sends the browser off the site.
func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/partnerships/x?as_of=2016-01-01": "/partnerships/x?as_of=2016-01-01",
		"":                                 "/partnerships",
		"https://evil.example/":            "/partnerships",
		"//evil.example/":                  "/partnerships",
		"/\\evil.example":                  "/partnerships",
		"/x\r\nSet-Cookie: a=b":            "/partnerships",
	} {
		assert.Equal(t, want, safeNext(in), in)
	}
}
