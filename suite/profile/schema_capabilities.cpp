// The sections about what the device can do: capabilities, packages and fault injection.
#include "suite/profile/field_checks.h"
#include "suite/profile/schema.h"

namespace fc::profile::schema {

void read_capabilities(MapReader& root, const Device& device, const Repository& repository, Capabilities& out) {
  MapReader capabilities = root.section("capabilities");
  capabilities.choice_list("pull", choices<PullScheme>(), out.pull);
  // A secure scheme the repository has no credentials for could never be tested: say so now.
  for (PullScheme scheme : out.pull) {
    const bool secure_coap = scheme == PullScheme::Coaps || scheme == PullScheme::CoapsTcp;
    if (secure_coap && repository.security.mode == SecurityMode::NoSec) {
      capabilities.problem_at("pull", std::string(to_string(scheme)) +
                                          " needs repository.security (psk, rpk or x509) to serve it");
    } else if (scheme == PullScheme::Https && repository.https_certificate.empty()) {
      capabilities.problem_at("pull",
                              "https needs repository.https.certificate and private_key to serve it");
    }
  }
  capabilities.boolean("push", out.push);
  capabilities.boolean("object_1_1", out.object_1_1);
  capabilities.boolean("reboot_on_update", out.reboot_on_update);
  capabilities.boolean("resumption", out.resumption);
  // Send is an LwM2M 1.1 operation (TS Core 6.4.8): a 1.0 device has no way to make it.
  if (capabilities.boolean("send", out.send) && out.send && device.lwm2m_version == LwM2MVersion::V1_0)
    capabilities.problem_at("send", "Send (POST /dp) is an LwM2M 1.1 operation, but device.lwm2m_version is 1.0");
  capabilities.integer("max_package_size", 1, std::numeric_limits<std::int64_t>::max(),
                       out.max_package_size);
  capabilities.choice_list("content_formats", content_format_choices(), out.content_formats);
  capabilities.finish();
}

namespace {

// The Anjay demo keeps the version in a length byte limited to 24 (third-party-clients.md).
constexpr std::size_t anjay_max_version = 24;

bool is_file_name_key(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

void read_package_files(MapReader& packages, Packages& out) {
  const SourceNode* files = packages.get("files");
  if (files == nullptr || files->kind == SourceNode::Kind::Null) return;
  if (files->kind != SourceNode::Kind::Map) {
    packages.problem(files->where, packages.path_of("files"),
                     "expected a map of names to files, got " + describe(*files));
    return;
  }
  for (const auto& entry : files->entries) {
    const std::string path = packages.path_of("files") + "." + entry.key;
    if (!is_file_name_key(entry.key)) {
      packages.problem(entry.key_where, path,
                       "a package name is lower-case letters, digits, '-' and '_'");
      continue;
    }
    auto written = check::string(packages, entry.value, path);
    if (!written) continue;
    out.files[entry.key] = packages.named_file(entry.value, path, *written, max_image_bytes);
  }
}

}  // namespace

void read_packages(MapReader& root, const Capabilities& capabilities, Packages& out) {
  MapReader packages = root.section("packages");
  packages.choice("format", out.format);
  packages.string("version", out.version);
  packages.string("expected_version", out.expected_version);
  if (out.format == PackageFormat::Anjay && out.version.size() > anjay_max_version) {
    packages.problem_at("version", "the anjay package header holds at most " +
                                       std::to_string(anjay_max_version) +
                                       " characters, got " + std::to_string(out.version.size()));
  }
  // The forge builds the whole image in memory, once per package a case asks for.
  if (packages.integer("image_size", 1, static_cast<std::int64_t>(max_image_bytes),
                       out.image_size) &&
      capabilities.max_package_size && out.image_size > *capabilities.max_package_size) {
    packages.problem_at("image_size", "is larger than capabilities.max_package_size (" +
                                          std::to_string(*capabilities.max_package_size) +
                                          "), got " + std::to_string(out.image_size));
  }
  packages.file_path("signing_key", out.signing_key);
  read_package_files(packages, out);
  const SourceNode* files = packages.get("files");
  const bool valid_written = files != nullptr && files->find("valid") != nullptr;
  if (out.format == PackageFormat::Files && !valid_written) {
    packages.missing("files.valid", "required when format is files");
  }
  packages.finish();
}

namespace {

// One fault as written: its method and parameters, and where to point about a missing one.
struct FaultEntry {
  FaultInjection value;
  SourceLocation method_where;
  std::string method_path;
  bool has_args = false;
  bool has_hook = false;
  bool has_package = false;
};

std::optional<FaultEntry> read_fault_entry(MapReader& faults, const SourceEntry& entry) {
  const std::string path = faults.path_of(entry.key);
  FaultEntry out{{}, entry.value.where, path};
  // `power_loss: unsupported` is short for `power_loss: {method: unsupported}`.
  if (entry.value.kind == SourceNode::Kind::Scalar) {
    auto method = check::choice(faults, entry.value, path, choices<FaultMethod>());
    if (!method) return std::nullopt;
    out.value.method = *method;
    return out;
  }
  if (entry.value.kind != SourceNode::Kind::Map) {
    faults.problem(entry.value.where, path,
                   "expected a method name or a map with method, got " + describe(entry.value));
    return std::nullopt;
  }
  MapReader fault = faults.section(entry.key);
  const bool method_read = fault.choice("method", out.value.method);
  const SourceNode* method = fault.get("method");
  out.has_args = fault.has("args");
  out.has_hook = fault.has("hook");
  out.has_package = fault.has("package");
  if (fault.string_list("args", out.value.args)) {
    const SourceNode* list = fault.get("args");
    for (std::size_t i = 0; i < out.value.args.size(); ++i) {
      out.value.args[i] = fill_profile_dir(out.value.args[i], folder_of(list->items[i]));
    }
  }
  const bool empty_list = out.has_args && fault.get("args")->kind == SourceNode::Kind::Sequence &&
                          fault.get("args")->items.empty();
  if (empty_list) {
    fault.problem_at("args", "must list at least one argument");
  }
  if (fault.string("hook", out.value.hook)) {
    out.value.hook = fill_profile_dir(out.value.hook, folder_of(*fault.get("hook")));
  }
  std::string variant;
  if (fault.string("package", variant)) {
    if (is_package_variant(variant)) {
      out.value.package = variant;
    } else {
      fault.problem_at("package", "expected a package variant like \"fails-first-boot\" or "
                                  "\"force-error:1\", got \"" + variant + "\"");
    }
  }
  fault.finish();
  if (method == nullptr) {
    fault.missing("method", "required key is missing; one of " +
                                list_names(choices<FaultMethod>()));
    return std::nullopt;
  }
  if (!method_read) return std::nullopt;
  out.method_where = method->where;
  out.method_path = fault.path_of("method");
  return out;
}

// The parameter each method needs, and what it needs from the adapter.
void check_fault(MapReader& faults, std::string_view name, const Adapter& adapter,
                 FaultEntry& entry) {
  const std::string path = faults.path_of(name);
  auto complain = [&](std::string message) {
    faults.problem(entry.method_where, entry.method_path, std::move(message));
  };
  switch (entry.value.method) {
    case FaultMethod::Unsupported:
      break;
    case FaultMethod::Args:
      if (!entry.has_args) complain("method args needs " + path + ".args (a list of arguments)");
      if (adapter.type != AdapterType::Process) {
        complain("method args needs adapter.type process, got " +
                 std::string(to_string(adapter.type)));
      }
      break;
    case FaultMethod::Hook:
      if (!entry.has_hook) {
        auto injected = adapter.hooks.inject.find(std::string(name));
        if (injected != adapter.hooks.inject.end()) {
          entry.value.hook = injected->second;
        } else {
          complain("method hook needs a command: " + path + ".hook or adapter.hooks.inject." +
                   std::string(name));
        }
      }
      break;
    case FaultMethod::Package:
      if (!entry.has_package) {
        complain("method package needs " + path + ".package (a variant like \"force-error:1\")");
      }
      break;
  }
}

}  // namespace

void read_faults(MapReader& root, const Adapter& adapter, Faults& out) {
  MapReader faults = root.section("faults");
  for (const auto& fault : fault_choices()) {
    const SourceEntry* entry = faults.entry(fault.name);
    if (entry == nullptr) continue;
    auto read = read_fault_entry(faults, *entry);
    if (!read) continue;
    check_fault(faults, fault.name, adapter, *read);
    out.*fault.value = std::move(read->value);
  }
  faults.finish();
}

}  // namespace fc::profile::schema
