package main

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

// sessionCookie names the cookie that holds the session id.
const sessionCookie = "citylinks_office"

// session is one browser's session: anonymous until its user signs in.
// Its CSRF token goes in every form and is checked on every POST.
type session struct {
	id, csrf string
	user     *user // nil before sign-in
	flash    string
	expires  time.Time
}

// sessions are kept in memory: a restart signs everyone out.
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	ttl time.Duration
	max int
	now func() time.Time
}

func newSessions() *sessions {
	return &sessions{m: map[string]*session{}, ttl: 8 * time.Hour, max: 10_000, now: time.Now}
}

// token returns 32 random bytes, base64url-encoded.
func token() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// get returns the session the request's cookie names, if it is live.
func (ss *sessions) get(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[c.Value]
	if !ok {
		return nil
	}
	if ss.now().After(s.expires) {
		delete(ss.m, s.id)
		return nil
	}
	s.expires = ss.now().Add(ss.ttl)
	return s
}

// start makes a new session for u (nil: anonymous) and sets its cookie.
// Signing in starts a new session, so an id set before sign-in is never
// the signed-in one.
func (ss *sessions) start(w http.ResponseWriter, r *http.Request, u *user) *session {
	s := &session{id: token(), csrf: token(), user: u, expires: ss.now().Add(ss.ttl)}
	ss.mu.Lock()
	if len(ss.m) >= ss.max {
		ss.sweep()
	}
	ss.m[s.id] = s
	ss.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: int(ss.ttl / time.Second)})
	return s
}

// end forgets the session and clears its cookie.
func (ss *sessions) end(w http.ResponseWriter, r *http.Request, s *session) {
	ss.mu.Lock()
	delete(ss.m, s.id)
	ss.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: -1})
}

// sweep drops expired sessions and, when that is not enough, anonymous
// ones, so that visitors who never sign in cannot fill the memory. Called
// with ss.mu held.
func (ss *sessions) sweep() {
	now := ss.now()
	for id, s := range ss.m {
		if now.After(s.expires) {
			delete(ss.m, id)
		}
	}
	for id, s := range ss.m {
		if len(ss.m) < ss.max {
			return
		}
		if s.user == nil {
			delete(ss.m, id)
		}
	}
}

// setFlash keeps a message to show on the next page.
func (ss *sessions) setFlash(s *session, msg string) {
	ss.mu.Lock()
	s.flash = msg
	ss.mu.Unlock()
}

// takeFlash returns the message kept for this page, once.
func (ss *sessions) takeFlash(s *session) string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	m := s.flash
	s.flash = ""
	return m
}
