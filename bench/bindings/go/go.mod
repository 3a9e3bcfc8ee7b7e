module example.invalid/lattice/bench/bindings/go

go 1.19

require example.invalid/lattice/bindings/go v0.0.0

replace example.invalid/lattice/bindings/go => ../../../bindings/go
