// args.cpp - option parsing: `--name value`, `--name=value`, switches, `--` and positionals.
// Kept strict on purpose: a typo in a CI script must fail loudly, not be ignored.
#include "driver/args.h"

#include "diagnostics/suggest.h"

#include <fmt/format.h>

namespace lattice::driver {

std::optional<Args> Args::parse(const std::vector<std::string> &argv,
                                const std::vector<OptionSpec> &specs, std::string &error) {
  Args args;
  bool onlyPositionals = false;
  auto findSpec = [&](const std::string &name) -> const OptionSpec * {
    for (const OptionSpec &candidate : specs)
      if (candidate.name == name)
        return &candidate;
    return nullptr;
  };
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string &arg = argv[i];
    // An option of this command after `--` is almost always a misplaced option (a CI script
    // appending `--fail-on` after the paths): taking it as a path would silently drop it.
    if (onlyPositionals && arg.rfind("-", 0) == 0 && findSpec(arg.substr(0, arg.find('=')))) {
      error = fmt::format("option `{}` after `--`: put options before `--` (write `./{}` for a "
                          "file of that name)",
                          arg.substr(0, arg.find('=')), arg);
      return std::nullopt;
    }
    if (onlyPositionals || arg.size() < 2 || arg[0] != '-') {
      args.positionals.push_back(arg); // a lone "-" is a positional too
      continue;
    }
    if (arg == "--") {
      onlyPositionals = true;
      args.beforeDashes = args.positionals.size();
      continue;
    }
    std::string name = arg;
    std::optional<std::string> inlineValue;
    if (size_t eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      name = arg.substr(0, eq);
      inlineValue = arg.substr(eq + 1);
    }
    const OptionSpec *spec = findSpec(name);
    if (spec == nullptr) {
      // Only this command's options are offered: another command's option is no help here.
      NameSuggester suggester(name);
      for (const OptionSpec &candidate : specs)
        if (candidate.name.find('<') == std::string::npos) // not a pattern like -W<group>
          suggester.consider(candidate.name);
      error = fmt::format("unknown option `{}`", name);
      if (suggester.best())
        error += "; " + suggester.didYouMean();
      return std::nullopt;
    }
    if (!spec->takesValue) {
      if (inlineValue) {
        error = fmt::format("option `{}` takes no value", name);
        return std::nullopt;
      }
      args.values[name].push_back("");
      continue;
    }
    if (!inlineValue) {
      if (i + 1 >= argv.size()) {
        error = fmt::format("option `{}` needs a value", name);
        return std::nullopt;
      }
      inlineValue = argv[++i];
    }
    args.values[name].push_back(*inlineValue);
  }
  return args;
}

std::optional<std::string> Args::get(const std::string &name) const {
  auto it = values.find(name);
  if (it == values.end() || it->second.empty())
    return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::all(const std::string &name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

std::string describeOptions(const std::vector<OptionSpec> &specs) {
  std::string out;
  for (const OptionSpec &spec : specs) {
    std::string left = spec.takesValue ? spec.name + " " + spec.valueName : spec.name;
    out += fmt::format("  {:<28} {}\n", left, spec.help);
  }
  return out;
}

std::vector<std::string> splitList(const std::string &text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos)
      comma = text.size();
    if (comma > start)
      items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

} // namespace lattice::driver
