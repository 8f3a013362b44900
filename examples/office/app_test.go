package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/internal/demo"
)

// The demonstration program is seeded once into a SQLite file; each test
// gets a copy of it, so tests do not see each other's writes.
var seeded struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if seeded.dir != "" {
		os.RemoveAll(seeded.dir)
	}
	os.Exit(code)
}

// seededDB returns the path of a fresh copy of the seeded database.
func seededDB(t *testing.T) string {
	t.Helper()
	seeded.once.Do(func() {
		if seeded.dir, seeded.err = os.MkdirTemp("", "office-test"); seeded.err != nil {
			return
		}
		a, err := open(context.Background(), io.Discard, config{dbPath: filepath.Join(seeded.dir, "seed.db"), users: sampleUsers, keepCity: demo.FewCities})
		if err != nil {
			seeded.err = err
			return
		}
		seeded.err = a.store.Close()
	})
	require.NoError(t, seeded.err)
	dst := filepath.Join(t.TempDir(), "office.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(filepath.Join(seeded.dir, "seed.db") + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(dst+suffix, b, 0o600))
	}
	return dst
}

// testApp is the app on a copy of the seeded database, served by httptest.
type testApp struct {
	*app
	srv *httptest.Server
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	var out bytes.Buffer
	a, err := open(t.Context(), &out, config{dbPath: seededDB(t), users: testUsers(t)})
	require.NoError(t, err)
	require.Contains(t, out.String(), "17 partnerships", "the copy is seeded, not seeded again")
	srv := httptest.NewServer(a.handler)
	t.Cleanup(func() {
		srv.Close()
		a.store.Close()
	})
	return &testApp{app: a, srv: srv}
}

// testUsers is users.txt with the same passwords hashed at bcrypt's
// lowest cost, so that signing in is fast under the race detector
// (TestReadUsers checks the shipped hashes).
func testUsers(t *testing.T) []byte {
	t.Helper()
	fastUsers.once.Do(func() {
		var b strings.Builder
		for _, line := range strings.Split(string(sampleUsers), "\n") {
			f := strings.SplitN(line, ":", 5)
			if strings.HasPrefix(line, "#") || len(f) < 5 {
				b.WriteString(line + "\n")
				continue
			}
			pw := strings.SplitN(f[0], "@", 2)[0] + "-demo" // as users.txt says
			h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
			if err != nil {
				fastUsers.err = err
				return
			}
			f[3] = string(h)
			b.WriteString(strings.Join(f, ":") + "\n")
		}
		fastUsers.file = []byte(b.String())
	})
	require.NoError(t, fastUsers.err)
	return fastUsers.file
}

var fastUsers struct {
	once sync.Once
	file []byte
	err  error
}

// The demonstration users (users.txt) and their passwords.
var (
	facilitator = cred{"ana@icma", "ana-demo"}
	lee         = cred{"lee@fort-collins", "lee-demo"} // coordinator of Fort Collins (city-5577147)
	kim         = cred{"kim@charleston", "kim-demo"}   // coordinator of Charleston (city-4574324)
	monitor     = cred{"sam@usaid", "sam-demo"}
	donor       = cred{"dana@usaid", "dana-demo"}
)

type cred struct{ id, password string }

// Partnerships of the seeded data.
const (
	cusco  = "CAPP15-DEMO-CUSCO-FORT-COLLINS" // active; Fort Collins is the resource
	danang = "CAPP15-DEMO-DA-NANG-CHARLESTON" // active; Charleston is the resource
	shimla = "CL11-SHI-BOU"                   // documented, closing
)

// browser is one user's browser: a cookie jar, and the CSRF token of the
// last page it read.
type browser struct {
	t    *testing.T
	app  *testApp
	c    *http.Client
	csrf string
}

func (a *testApp) browser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, app: a, c: &http.Client{Jar: jar}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// do sends a request and reads the answer (after redirects), keeping the
// page's CSRF token.
func (b *browser) do(req *http.Request) (int, string) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	if m := csrfField.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, string(body)
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.app.srv.URL+path, nil)
	require.NoError(b.t, err)
	return b.do(req)
}

// post sends a form with the session's CSRF token (fetching a page first
// if it has none).
func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	if b.csrf == "" {
		b.get("/signin")
	}
	f := url.Values{"csrf": {b.csrf}}
	for k, v := range form {
		f[k] = v
	}
	return b.postRaw(path, f)
}

// postRaw sends the form as it is.
func (b *browser) postRaw(path string, form url.Values) (int, string) {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.app.srv.URL+path, strings.NewReader(form.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// upload posts a file in a multipart form.
func (b *browser) upload(path, name, content string, fields url.Values) (int, string) {
	b.t.Helper()
	if b.csrf == "" {
		b.get("/signin")
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	require.NoError(b.t, mw.WriteField("csrf", b.csrf))
	for k, vs := range fields {
		for _, v := range vs {
			require.NoError(b.t, mw.WriteField(k, v))
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	require.NoError(b.t, err)
	_, err = io.WriteString(fw, content)
	require.NoError(b.t, err)
	require.NoError(b.t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, b.app.srv.URL+path, &buf)
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// signIn signs in through the form and checks it worked.
func (b *browser) signIn(c cred) {
	b.t.Helper()
	b.get("/signin")
	code, body := b.post("/signin", url.Values{"id": {c.id}, "password": {c.password}})
	require.Equal(b.t, http.StatusOK, code, body)
	require.Contains(b.t, body, "Signed in as")
}

// signedIn returns a browser signed in as c.
func (a *testApp) signedIn(t *testing.T, c cred) *browser {
	t.Helper()
	b := a.browser(t)
	b.signIn(c)
	return b
}

// actorOf returns a demonstration user's actor.
func actorOf(t *testing.T, c cred) citylinks.Actor {
	t.Helper()
	us, err := readUsers(bytes.NewReader(sampleUsers))
	require.NoError(t, err)
	u, ok := us.byID[c.id]
	require.True(t, ok, c.id)
	return u.Actor
}
