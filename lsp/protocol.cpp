// protocol.cpp - defensive readers of the protocol's common parameters, and their writers.
#include "lsp/protocol.h"

namespace lattice::lsp {

std::optional<std::string> documentUri(const llvm::json::Object &params) {
  const llvm::json::Object *document = params.getObject("textDocument");
  if (document == nullptr)
    return std::nullopt;
  if (auto uri = document->getString("uri"))
    return uri->str();
  return std::nullopt;
}

std::optional<Position> readPosition(const llvm::json::Value *value) {
  const llvm::json::Object *object = value ? value->getAsObject() : nullptr;
  if (object == nullptr)
    return std::nullopt;
  auto line = object->getInteger("line");
  auto character = object->getInteger("character");
  if (!line || !character || *line < 0 || *character < 0 || *line > UINT32_MAX ||
      *character > UINT32_MAX)
    return std::nullopt;
  return Position{static_cast<uint32_t>(*line), static_cast<uint32_t>(*character)};
}

std::optional<std::pair<Position, Position>> readRange(const llvm::json::Value *value) {
  const llvm::json::Object *object = value ? value->getAsObject() : nullptr;
  if (object == nullptr)
    return std::nullopt;
  std::optional<Position> start = readPosition(object->get("start"));
  std::optional<Position> end = readPosition(object->get("end"));
  if (!start || !end)
    return std::nullopt;
  return std::pair(*start, *end);
}

llvm::json::Object rangeJson(Position start, Position end) {
  auto position = [](Position p) {
    return llvm::json::Object{{"line", p.line}, {"character", p.character}};
  };
  return llvm::json::Object{{"start", position(start)}, {"end", position(end)}};
}

} // namespace lattice::lsp
