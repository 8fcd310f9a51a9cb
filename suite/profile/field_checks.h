// Checks on the text of single profile values: placeholders, regexes, addresses, names.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "suite/profile/profile.h"

namespace fc::profile {

// Placeholders an endpoint name may hold, and those of adapter commands and arguments.
std::span<const std::string_view> endpoint_placeholders();
std::span<const std::string_view> command_placeholders();

// A message naming the first `{name}` not in `known`, or nullopt. Only braces around a plain
// lower-case name count, and `${NAME}` is left to the shell, so commands may hold shell code.
std::optional<std::string> placeholder_problem(std::string_view text,
                                               std::span<const std::string_view> known);

// {profile_dir} is the folder of the file a value is written in (absolute), so it is filled in
// while the profile is loaded, when each value still knows its file; after an include is
// merged only the values do. Braces in the folder name are doubled, which the adapters'
// templating reads as literal braces; `{{` and `${...}` in `text` are left alone, as there.
std::string fill_profile_dir(std::string_view text, const std::filesystem::path& folder);

// Whether a start of the device holds `placeholder` ("{install_time}"): the process command,
// arguments or environment, or a hook command.
bool adapter_uses(const Adapter& adapter, std::string_view placeholder);

// The regex library's complaint about an ECMAScript pattern, or nullopt when it compiles.
std::optional<std::string> regex_problem(const std::string& pattern);

bool is_ip_address(const std::string& text);      // an IPv4 or IPv6 literal
bool is_host(const std::string& text);            // an IP literal or a DNS-style name
bool is_env_name(std::string_view text);          // [A-Za-z_][A-Za-z0-9_]*
bool is_package_variant(std::string_view text);   // "fails-first-boot", "force-error:1"

}  // namespace fc::profile
