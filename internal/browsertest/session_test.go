package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/citylinks/citylinks/internal/browsertest"
)

// TestSession: a test fills a form, submits it and reads the answer, and
// the session reports the errors the pages raised.
func TestSession(t *testing.T) {
	requireChromium(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><html><head><meta charset=utf-8><title>form</title></head><body>
<form method=post action=/hello><input name=name id=name><button id=go>Go</button></form></body></html>`)
	})
	mux.HandleFunc("POST /hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><html><head><meta charset=utf-8><title>hello</title></head><body><p id=out>hello %s</p><script>console.error("boom")</script></body></html>`,
			strings.ToUpper(r.PostFormValue("name")))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	s, err := browsertest.Start(t.Context(), t.TempDir(), nil)
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Do(chromedp.Navigate(srv.URL), chromedp.SendKeys(chromedp.CSS("#name"), "ada"), chromedp.Click(chromedp.CSS("#go")),
		chromedp.WaitVisible(chromedp.CSS("#out"))))
	text, err := chromedp.Run(s.Context(), chromedp.Text(chromedp.CSS("#out")))
	require.NoError(t, err)
	assert.Equal(t, "hello ADA", text)
	shot, err := s.Screenshot()
	require.NoError(t, err)
	assert.NotEmpty(t, shot)
	assert.Contains(t, strings.Join(s.Errors(), "\n"), "console.error: \"boom\"")
}
