// args.h - a small, strict command-line parser for the subcommands.
// Unknown options and missing values are usage errors (exit 2), reported with the option name.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lattice::driver {

struct OptionSpec {
  std::string name;       // "--kind", or "-o"
  bool takesValue = true; // false: a switch
  std::string valueName;  // for help: "KIND"
  std::string help;
};

class Args {
public:
  /// Parses argv[begin..); returns nullopt and fills `error` on a usage error.
  static std::optional<Args> parse(const std::vector<std::string> &argv,
                                   const std::vector<OptionSpec> &specs, std::string &error);

  bool has(const std::string &name) const { return values.count(name) != 0; }
  /// The last value given for `name`, if any.
  std::optional<std::string> get(const std::string &name) const;
  std::vector<std::string> all(const std::string &name) const;
  const std::vector<std::string> &positional() const { return positionals; }
  /// How many positionals came before a `--`, when there was one.
  std::optional<size_t> positionalsBeforeDashes() const { return beforeDashes; }

private:
  std::map<std::string, std::vector<std::string>> values;
  std::vector<std::string> positionals;
  std::optional<size_t> beforeDashes;
};

/// Formats an options table for --help.
std::string describeOptions(const std::vector<OptionSpec> &specs);

/// Splits "a,b,,c" into {"a", "b", "c"}.
std::vector<std::string> splitList(const std::string &text);

} // namespace lattice::driver
