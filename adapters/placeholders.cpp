// Filling a profile's command templates ({endpoint}, {workdir}, ...) with one start's values.
#include <algorithm>
#include <string_view>

#include "adapters/client_binary.h"
#include "adapters/device_adapter.h"

namespace fc::adapters {

namespace {

// The same rule as the profile loader (suite/profile/field_checks.cpp): only a plain lower-case
// name in braces is a placeholder, so shell code like `{ cmd; }` or `awk '{print $1}'` passes.
bool is_placeholder_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
  });
}

std::string known_list(const std::map<std::string, std::string>& values) {
  std::string out;
  for (const auto& [name, value] : values) {
    if (!out.empty()) out += ", ";
    out += "{" + name + "}";
  }
  return out.empty() ? "none" : out;
}

}  // namespace

std::string expand_placeholders(const std::string& text,
                                const std::map<std::string, std::string>& values,
                                std::string_view where) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const char c = text[at];
    if (c != '{') {
      out += c;
      ++at;
      continue;
    }
    if (at + 1 < text.size() && text[at + 1] == '{') {  // `{{` is a literal brace
      out += '{';
      at += 2;
      continue;
    }
    // `${NAME}` belongs to the shell.
    const bool shell_variable = at > 0 && text[at - 1] == '$';
    const std::size_t close = text.find('}', at);
    const std::string_view name =
        close == std::string::npos ? std::string_view() : std::string_view(text).substr(at + 1, close - at - 1);
    if (shell_variable || !is_placeholder_name(name)) {
      out += c;
      ++at;
      continue;
    }
    auto value = values.find(std::string(name));
    if (value == values.end()) {
      const std::string context = where.empty() ? text : std::string(where) + ": " + text;
      throw AdapterError("unknown placeholder {" + std::string(name) + "} in '" + context +
                         "'; known: " + known_list(values));
    }
    out += value->second;
    at = close + 1;
  }
  return out;
}

std::string expand_placeholders(const std::string& text,
                                const std::map<std::string, std::string>& values) {
  return expand_placeholders(text, values, {});
}

std::map<std::string, std::string> placeholder_values(const StartContext& context) {
  return {
      {"endpoint", context.endpoint},
      {"server_uri", context.server_uri},
      {"server_port", std::to_string(context.server_port)},
      {"repository_host", context.repository_host},
      {"workdir", context.workdir.string()},
      {"case", context.case_name},
      {"profile_dir", context.profile_dir.string()},
      {"psk_identity", context.psk_identity},
      {"psk_key", context.psk_key_hex},
      {"bootstrap_uri", context.bootstrap_uri},
      {"bootstrap_psk_identity", context.bootstrap_psk_identity},
      {"bootstrap_psk_key", context.bootstrap_psk_key_hex},
      {"install_time", context.install_time},
      {"suite_bin", suite_bin_dir().string()},
  };
}

std::string redact_secrets(std::string text, const StartContext& context) {
  static const std::string redacted = "<redacted>";
  for (const std::string* secret : {&context.psk_key_hex, &context.psk_identity, &context.bootstrap_psk_key_hex,
                                    &context.bootstrap_psk_identity}) {
    if (secret->empty()) continue;
    // Search on after each replacement: a secret may occur inside "<redacted>" itself.
    for (auto at = text.find(*secret); at != std::string::npos; at = text.find(*secret, at + redacted.size()))
      text.replace(at, secret->size(), redacted);
  }
  return text;
}

}  // namespace fc::adapters
