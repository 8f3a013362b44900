package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/partnership"
	"github.com/citylinks/citylinks/partnership/partnershiptest"
	"github.com/citylinks/citylinks/store/postgres"
	"github.com/citylinks/citylinks/store/postgres/postgrestest"
)

// lossyProxy forwards TCP connections to PostgreSQL. Armed with a marker,
// it lets the next client message that contains the marker through to the
// server and then drops everything the server sends back on that
// connection: the server commits, the client never hears it. That is the
// window in which a deadline (or a network fault) makes a write fail on
// the client although it is stored.
type lossyProxy struct {
	ln     net.Listener
	target string

	mu     sync.Mutex
	marker []byte
	before bool // drop the marked message itself, so the server never has it
	hits   int
}

func newLossyProxy(t *testing.T, target string) *lossyProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &lossyProxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close() })
	go p.serve()
	return p
}

func (p *lossyProxy) arm(marker string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.marker, p.before = []byte(marker), false
}

// armBefore is arm, but the marked message never reaches the server either:
// the connection goes silent both ways.
func (p *lossyProxy) armBefore(marker string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.marker, p.before = []byte(marker), true
}

func (p *lossyProxy) hit() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits
}

func (p *lossyProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.pipe(c)
	}
}

func (p *lossyProxy) pipe(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	var mu sync.Mutex
	deaf := false // the server's answers are dropped from now on
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := server.Read(buf)
			mu.Lock()
			drop := deaf
			mu.Unlock()
			if n > 0 && !drop {
				if _, werr := client.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				client.Close()
				return
			}
		}
	}()
	buf := make([]byte, 32<<10)
	mute := false // the client's messages are dropped from now on
	for {
		n, err := client.Read(buf)
		if n > 0 {
			p.mu.Lock()
			if p.marker != nil && bytes.Contains(buf[:n], p.marker) {
				p.marker = nil
				p.hits++
				mute = p.before
				mu.Lock()
				deaf = true
				mu.Unlock()
			}
			p.mu.Unlock()
			if !mute {
				if _, werr := server.Write(buf[:n]); werr != nil {
					return
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// proxiedStore returns a store in a new schema whose connections go through
// a lossy proxy, and a direct store over the same schema to look with.
func proxiedStore(t *testing.T) (*postgres.Store, *postgres.Store, *lossyProxy) {
	t.Helper()
	direct := postgres.New(postgrestest.NewPool(t, 0))
	if err := direct.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg := direct.Pool().Config()
	proxy := newLossyProxy(t, net.JoinHostPort(cfg.ConnConfig.Host, itoa(int(cfg.ConnConfig.Port))))
	pcfg := cfg.Copy()
	pcfg.ConnConfig.Host = "127.0.0.1"
	pcfg.ConnConfig.Port = uint16(proxy.ln.Addr().(*net.TCPAddr).Port)
	pcfg.ConnConfig.Fallbacks = nil
	pool, err := pgxpool.NewWithConfig(context.Background(), pcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return postgres.New(pool), direct, proxy
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// lostWrite runs one write through a proxy that loses the message marked
// marker (lost == "request": the server never has it) or the server's
// answer to it (lost == "answer": the server stores it, the client never
// hears), and returns the write's error and whether it is stored.
type lostWrite func(t *testing.T, lost string) (err error, stored bool)

func arm(p *lossyProxy, lost, marker string) {
	if lost == "request" {
		p.armBefore(marker)
	} else {
		p.arm(marker)
	}
}

// putCity is a write in a transaction of several statements.
func putCity(t *testing.T, lost string) (error, bool) {
	s, direct, proxy := proxiedStore(t)
	arm(proxy, lost, "commit")
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	err := s.PutCity(ctx, citylinks.City{ID: "1706889", Name: "Legazpi", Country: "PH", Population: 209533})
	if proxy.hit() != 1 {
		t.Fatalf("the proxy never saw the COMMIT (err %v)", err)
	}
	_, gerr := direct.GetCity(t.Context(), "1706889")
	if gerr != nil && !errors.Is(gerr, citylinks.ErrNotFound) {
		t.Fatal(gerr)
	}
	return err, gerr == nil
}

// ratify is an append to a partnership: one statement, its own transaction.
func ratify(t *testing.T, lost string) (error, bool) {
	s, direct, proxy := proxiedStore(t)
	svc := partnership.NewService(s, nil)
	if _, err := svc.Execute(t.Context(), partnershiptest.Facilitator, "p1", partnershiptest.Proposal("p1")); err != nil {
		t.Fatal(err)
	}
	arm(proxy, lost, "Boulder City Council") // in the Bind of the append, which runs it
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	_, err := svc.Execute(ctx, partnershiptest.Facilitator, "p1",
		partnership.Ratify{Party: partnershiptest.Boulder, Body: "Boulder City Council", On: partnershiptest.D(2015, 4, 7)})
	if proxy.hit() != 1 {
		t.Fatalf("the proxy never saw the append (err %v)", err)
	}
	events, lerr := partnership.NewService(direct, nil).History(t.Context(), partnershiptest.Facilitator, "p1")
	if lerr != nil {
		t.Fatal(lerr)
	}
	return err, len(events) == 2
}

// TestLostCommit: a write whose COMMIT (or single statement) is in flight
// when its context ends. If the server stored it, the store must find out
// and return nil; if the server never had it, the error. An error from a
// write means that nothing was stored (unless it wraps
// citylinks.ErrOutcomeUnknown, which no case here may need).
func TestLostCommit(t *testing.T) {
	writes := map[string]lostWrite{"transaction": putCity, "append": ratify}
	for _, name := range []string{"transaction", "append"} {
		for _, lost := range []string{"answer", "request"} {
			t.Run(name+"/"+lost, func(t *testing.T) {
				err, stored := writes[name](t, lost)
				switch {
				case errors.Is(err, citylinks.ErrOutcomeUnknown):
					t.Fatalf("the outcome was there to find out: %v", err)
				case lost == "answer" && !stored:
					t.Fatalf("the server never stored the write (%v): the test missed the window it tests", err)
				case lost == "request" && stored:
					t.Fatal("the server stored a write it never had")
				case err != nil && stored:
					t.Fatalf("the write returned %v, but it is stored", err)
				case err == nil && !stored:
					t.Fatal("the write returned no error, but nothing is stored")
				}
			})
		}
	}
}
