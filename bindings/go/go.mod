module example.invalid/lattice/bindings/go

go 1.19
