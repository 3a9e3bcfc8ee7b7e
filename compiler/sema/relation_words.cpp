// relation_words.cpp - the table of relation words: the canonical vocabulary and the old
// spellings of test cases and queries, which are accepted with a warning and a replacement.
#include "sema/relation_words.h"

#include "diagnostics/suggest.h"

#include <fmt/format.h>

namespace lattice::sema {
namespace {

constexpr RelationMask bit(Relation relation) { return RelationMask(1u << unsigned(relation)); }

constexpr RelationMask kSelf = bit(Relation::Same);
constexpr RelationMask kDescendants = bit(Relation::Descendant);
constexpr RelationMask kAncestors = bit(Relation::Ancestor);
constexpr RelationMask kElsewhere = bit(Relation::Tenant);

const RelationWord kWords[] = {
    {"self", kSelf, Reach::Self, ""},
    {"descendants", kDescendants, Reach::Descendants, ""},
    {"subtree", kSelf | kDescendants, Reach::Subtree, ""},
    {"ancestors", kAncestors, Reach::Ancestors, ""},
    {"elsewhere", kElsewhere, Reach::Elsewhere, ""},
    {"tenant", kSelf | kDescendants | kAncestors | kElsewhere, Reach::Tenant, ""},
    // The request words of tests and queries before the vocabularies were merged.
    {"same", kSelf, Reach::Self, "self"},
    {"descendant", kDescendants, Reach::Descendants, "descendants"},
    {"ancestor", kAncestors, Reach::Ancestors, "ancestors"},
};

} // namespace

const RelationWord *findRelationWord(std::string_view word) {
  for (const RelationWord &entry : kWords)
    if (entry.word == word)
      return &entry;
  return nullptr;
}

const std::vector<std::string_view> &canonicalRelationWords() {
  static const std::vector<std::string_view> words = [] {
    std::vector<std::string_view> result;
    for (const RelationWord &entry : kWords)
      if (entry.replacement.empty())
        result.push_back(entry.word);
    return result;
  }();
  return words;
}

std::optional<Relation> parseRequestRelation(std::string_view word, std::string_view &replacement,
                                             std::string &error) {
  replacement = {};
  // Before the merge `tenant` was the request relation "elsewhere in the tree"; as a word of
  // the vocabulary it now names the whole tree, which is no single relation, so a request
  // that says `tenant` can only mean the old thing.
  if (word == "tenant") {
    replacement = "elsewhere";
    return Relation::Tenant;
  }
  const RelationWord *entry = findRelationWord(word);
  if (entry && (entry->relations & (entry->relations - 1)) == 0) {
    replacement = entry->replacement;
    return static_cast<Relation>(__builtin_ctz(entry->relations));
  }
  if (entry) {
    error = fmt::format("`{}` names several relations; a request has one: `self`, `descendants`, "
                        "`ancestors` or `elsewhere`",
                        word);
    return std::nullopt;
  }
  NameSuggester suggester(word);
  for (std::string_view candidate : {"self", "descendants", "ancestors", "elsewhere"})
    suggester.consider(candidate);
  error = fmt::format("unknown relation `{}`; expected `self`, `descendants`, `ancestors` or "
                      "`elsewhere`",
                      word);
  if (suggester.best())
    error += "; " + suggester.didYouMean();
  return std::nullopt;
}

} // namespace lattice::sema
