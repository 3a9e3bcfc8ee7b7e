// lower.h - the lowering phase: a checked Model becomes flat decision tables.
// Extends are flattened here: a role's bits include every rule of every role it extends.
#pragma once

#include "lower/tables.h"
#include "sema/model.h"

namespace lattice::lower {

Tables lowerModel(const sema::Model &model);

} // namespace lattice::lower
