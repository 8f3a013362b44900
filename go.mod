module github.com/citylinks/citylinks

go 1.26
