// request_enum.h - every concrete request of a model's request space, for exhaustive checks:
// each seat, role sets of size 0-3 among the roles its kind may hold, each permission, each
// feasible relation, each subset of the seat's settable flags.
#pragma once

#include "analysis/request_space.h"
#include "reference/interpreter.h"
#include "sema/model.h"

#include <string>
#include <vector>

namespace lattice::difftest {

struct SpaceRequest {
  analysis::Seat seat;
  reference::Request request;
};

/// All requests of the space (role sets include ones that break `exclusive`). With
/// `withForeignRoles`, also one request per seat, permission, feasible relation and flag set for
/// each single role the seat's kind may NOT hold (outside the space; the gate must deny them).
std::vector<SpaceRequest> enumerateRequests(const sema::Model &model,
                                            const analysis::RequestSpace &space,
                                            bool withForeignRoles = false);

/// Whether `request` at `seat` is in the space: a seat of the model, distinct roles its kind
/// may hold, a feasible relation for the permission's resource, only settable flags.
bool inSpace(const sema::Model &model, const analysis::RequestSpace &space,
             const analysis::Seat &seat, const reference::Request &request);

/// "u0@s1 {ro0, ro2} r0.a1 descendant {f0}" for messages.
std::string describe(const sema::Model &model, const analysis::Seat &seat,
                     const reference::Request &request);
std::string describe(const reference::Decision &decision);
const char *outcomeName(reference::Outcome outcome);

} // namespace lattice::difftest
