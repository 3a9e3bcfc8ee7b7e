// relation_words.h - the one vocabulary of relations, shared by rules (`in`), test cases (`on`)
// and requests (`lattice query --relation`): each word names a set of request relations.
#pragma once

#include "sema/model.h"

#include <optional>
#include <string_view>
#include <vector>

namespace lattice::sema {

/// A relation word: `self`, `descendants`, `ancestors`, `elsewhere` (one request relation each),
/// `subtree` (self and descendants) or `tenant` (the whole tree), or an old spelling of one.
struct RelationWord {
  std::string_view word;
  RelationMask relations = 0;
  Reach reach = Reach::Self;
  /// For an old spelling (`same`, `descendant`, `ancestor`): the word to write instead.
  std::string_view replacement;
};

/// The word, canonical or an old spelling; nullptr when it is neither.
const RelationWord *findRelationWord(std::string_view word);

/// The canonical words in their documented order, for help lines and suggestions.
const std::vector<std::string_view> &canonicalRelationWords();

/// A request has exactly one relation: parses the word of `lattice query --relation` and the
/// `relation` field of JSON requests. Accepts the four one-relation words and the old request
/// spellings (`same`, `descendant`, `ancestor`, and `tenant` for `elsewhere`, which is what it
/// meant before the vocabularies were merged); `replacement` is then set to the word to write.
/// Returns nullopt for anything else, with `error` saying what a request relation is.
std::optional<Relation> parseRequestRelation(std::string_view word, std::string_view &replacement,
                                             std::string &error);

} // namespace lattice::sema
