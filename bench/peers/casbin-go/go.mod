// go.mod - marks this harness as module code, so that Go in GOPATH mode (GO111MODULE=off, as
// run_peers.py builds it offline against Debian's /usr/share/gocode) reads the import
// github.com/casbin/casbin/v2 as Debian's github.com/casbin/casbin (minimal module compatibility).
module lattice.bench/casbin-go

go 1.19

require github.com/casbin/casbin/v2 v2.60.0
