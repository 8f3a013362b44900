package main

import (
	"bufio"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/citylinks/citylinks"
)

// user is one person who may sign in: an actor of the library, with a
// name to show and a bcrypt hash of the password.
type user struct {
	Actor citylinks.Actor
	Name  string
	hash  []byte
}

// users are the people who may sign in, by actor id.
type users struct {
	byID map[string]*user
	// dummy is a hash compared against when the id is unknown, so that a
	// sign-in takes as long whether or not the user exists; made once, on
	// the first sign-in.
	dummyOnce sync.Once
	dummy     []byte
}

// maxUsersFile bounds the users file: a line is at most maxUserLine bytes
// and the file holds at most maxUsers users.
const (
	maxUserLine = 4096
	maxUsers    = 10_000
)

// bcryptCost is the cost of the hashes hashPassword makes: the library's
// default, about 50 ms on one core.
const bcryptCost = bcrypt.DefaultCost

// readUsers reads a users file: one user a line,
//
//	id:organization:role[,role…]:bcrypt-hash:name
//
// with blank lines and lines starting with # skipped. The id, organization
// and roles make the user's citylinks.Actor and must be valid for it; the
// name is the rest of the line and may hold colons. An error names the
// line and the field; a file with one bad line gives no users.
func readUsers(r io.Reader) (*users, error) {
	us := &users{byID: map[string]*user{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1024), maxUserLine)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		u, err := parseUser(text)
		if err != nil {
			return nil, fmt.Errorf("users file line %d: %w", line, err)
		}
		if _, dup := us.byID[u.Actor.ID]; dup {
			return nil, fmt.Errorf("users file line %d: id %q appears twice", line, u.Actor.ID)
		}
		if len(us.byID) == maxUsers {
			return nil, fmt.Errorf("users file line %d: more than %d users", line, maxUsers)
		}
		us.byID[u.Actor.ID] = u
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("users file line %d: longer than %d bytes", line+1, maxUserLine)
		}
		return nil, fmt.Errorf("users file: %w", err)
	}
	if len(us.byID) == 0 {
		return nil, errors.New("users file: no users (one a line: id:organization:roles:bcrypt-hash:name)")
	}
	return us, nil
}

// parseUser reads one line of a users file.
func parseUser(text string) (*user, error) {
	if !utf8.ValidString(text) {
		return nil, errors.New("not valid UTF-8")
	}
	f := strings.SplitN(text, ":", 5)
	if len(f) < 5 {
		return nil, fmt.Errorf("%d fields; want id:organization:roles:bcrypt-hash:name", len(f))
	}
	a := citylinks.Actor{ID: f[0], Organization: f[1]}
	for _, r := range strings.Split(f[2], ",") {
		a.Roles = append(a.Roles, citylinks.Role(strings.TrimSpace(r)))
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if _, err := bcrypt.Cost([]byte(f[3])); err != nil {
		return nil, fmt.Errorf("password hash: not a bcrypt hash (make one with office -hash-password): %w", err)
	}
	name := strings.TrimSpace(f[4])
	if name == "" {
		name = a.ID
	}
	if strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, fmt.Errorf("name %q holds a control character", name)
	}
	return &user{Actor: a, Name: name, hash: []byte(f[3])}, nil
}

// errSignIn is the one answer to a wrong id or a wrong password: which of
// the two was wrong is not said.
var errSignIn = errors.New("unknown user or wrong password")

// check returns the user with the id if the password is theirs.
func (us *users) check(id, password string) (*user, error) {
	u, ok := us.byID[id]
	var hash []byte
	if ok {
		hash = u.hash
	} else {
		us.dummyOnce.Do(func() {
			us.dummy, _ = bcrypt.GenerateFromPassword([]byte("no such user"), bcryptCost)
		})
		hash = us.dummy
	}
	err := bcrypt.CompareHashAndPassword(hash, []byte(password))
	if !ok || err != nil {
		return nil, errSignIn
	}
	return u, nil
}

// basic authenticates a request to the JSON API by HTTP Basic
// authentication against the users file, for package api.
func (us *users) basic(r *http.Request) (citylinks.Actor, error) {
	id, password, ok := r.BasicAuth()
	if !ok {
		return citylinks.Actor{}, errSignIn
	}
	u, err := us.check(id, password)
	if err != nil {
		return citylinks.Actor{}, err
	}
	return u.Actor, nil
}

// hashPassword returns the bcrypt hash of a password, for a users file.
func hashPassword(password string) (string, error) {
	if password == "" {
		return "", errors.New("empty password")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcryptCost)
	return string(h), err
}

// equalTokens compares two secrets in constant time.
func equalTokens(a, b string) bool {
	return len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
