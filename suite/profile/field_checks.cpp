#include "suite/profile/field_checks.h"

#include <arpa/inet.h>

#include <algorithm>
#include <regex>

namespace fc::profile {

namespace {

constexpr std::string_view endpoint_names[] = {"{run}", "{case}"};
constexpr std::string_view command_names[] = {"{endpoint}",        "{server_uri}", "{server_port}",
                                              "{repository_host}", "{workdir}",    "{case}",
                                              "{profile_dir}",       "{psk_identity}", "{psk_key}",
                                              "{bootstrap_uri}", "{bootstrap_psk_identity}",
                                              "{bootstrap_psk_key}", "{install_time}", "{suite_bin}"};

bool is_lower_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
  });
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

std::span<const std::string_view> endpoint_placeholders() { return endpoint_names; }
std::span<const std::string_view> command_placeholders() { return command_names; }

std::optional<std::string> placeholder_problem(std::string_view text,
                                               std::span<const std::string_view> known) {
  for (std::size_t open = text.find('{'); open != std::string_view::npos;
       open = text.find('{', open + 1)) {
    if (open > 0 && text[open - 1] == '$') continue;
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    const std::string_view candidate = text.substr(open, close - open + 1);
    if (!is_lower_name(candidate.substr(1, candidate.size() - 2))) continue;
    if (std::find(known.begin(), known.end(), candidate) != known.end()) continue;
    std::string message = "unknown placeholder " + std::string(candidate) + "; known: ";
    for (std::size_t i = 0; i < known.size(); ++i) {
      message += (i == 0 ? "" : ", ") + std::string(known[i]);
    }
    return message;
  }
  return std::nullopt;
}

std::string fill_profile_dir(std::string_view text, const std::filesystem::path& folder) {
  static constexpr std::string_view placeholder = "{profile_dir}";
  std::string escaped;
  for (char c : folder.string()) {
    escaped += c;
    if (c == '{') escaped += '{';
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    if (text.substr(at, 2) == "{{") {
      out += "{{";
      at += 2;
    } else if (text.substr(at, placeholder.size()) == placeholder &&
               (at == 0 || text[at - 1] != '$')) {
      out += escaped;
      at += placeholder.size();
    } else {
      out += text[at++];
    }
  }
  return out;
}

bool adapter_uses(const Adapter& adapter, std::string_view placeholder) {
  auto holds = [&](const std::string& text) { return text.find(placeholder) != std::string::npos; };
  const auto& process = adapter.process;
  const auto& hooks = adapter.hooks;
  if (holds(process.command)) return true;
  for (const auto& arg : process.args)
    if (holds(arg)) return true;
  for (const auto& [name, value] : process.env)
    if (holds(value)) return true;
  for (const auto* command : {&hooks.reset, &hooks.power_off, &hooks.power_on, &hooks.flash, &hooks.log_start,
                              &hooks.log_stop})
    if (holds(*command)) return true;
  return false;
}

std::optional<std::string> regex_problem(const std::string& pattern) {
  try {
    std::regex compiled(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    return std::string(error.what());
  }
  return std::nullopt;
}

bool is_ip_address(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool is_host(const std::string& text) {
  if (is_ip_address(text)) return true;
  if (text.empty() || text.size() > 253 || text.front() == '.' || text.back() == '.') {
    return false;
  }
  std::size_t label = 0;
  for (char c : text) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (is_alnum(c) || c == '-') {
      if (++label > 63) return false;
    } else {
      return false;
    }
  }
  return true;
}

bool is_env_name(std::string_view text) {
  if (text.empty() || (text.front() >= '0' && text.front() <= '9')) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return is_alnum(c) || c == '_'; });
}

bool is_package_variant(std::string_view text) {
  const std::size_t colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  if (name.empty() || name.front() == '-') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  if (colon == std::string_view::npos) return true;
  const std::string_view argument = text.substr(colon + 1);
  return !argument.empty() && std::all_of(argument.begin(), argument.end(), [](char c) {
    return is_alnum(c) || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace fc::profile
