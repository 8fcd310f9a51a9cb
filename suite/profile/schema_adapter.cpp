// The adapter section: how the suite starts, stops, resets and watches the device.
#include "suite/profile/field_checks.h"
#include "suite/profile/names.h"
#include "suite/profile/schema.h"

namespace fc::profile::schema {

namespace {

// A command or argument: placeholders must be ones the templating knows; {profile_dir} is
// filled in now, from the file this value is written in.
void read_command_text(MapReader& map, std::string_view key, std::string& out) {
  std::string text;
  if (!map.string(key, text)) return;
  if (auto problem = placeholder_problem(text, command_placeholders())) {
    map.problem_at(key, *problem);
    return;
  }
  out = fill_profile_dir(text, folder_of(*map.get(key)));
}

// A relative path with a directory part is taken from the profile's folder, like every other
// path in a profile; a bare name is left for the PATH lookup at start.
std::string resolve_command(const std::string& command, const SourceNode& node) {
  const std::filesystem::path written(command);
  if (written.is_absolute() || command.find('/') == std::string::npos ||
      command.front() == '{') {
    return command;
  }
  return (std::filesystem::path(node.where.file).parent_path() / written)
      .lexically_normal()
      .string();
}

void read_process(MapReader& adapter, bool required, ProcessAdapter& out) {
  MapReader process = adapter.section("process");
  std::string command;
  read_command_text(process, "command", command);
  if (!command.empty()) out.command = resolve_command(command, *process.get("command"));
  if (required && !process.has("command")) {
    process.missing("command", "required when adapter.type is process");
  }

  std::vector<std::string> args;
  if (process.string_list("args", args)) {
    const SourceNode* list = process.get("args");
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (auto problem = placeholder_problem(args[i], command_placeholders())) {
        process.problem(list->items[i].where,
                        process.path_of("args") + "[" + std::to_string(i) + "]", *problem);
      }
      args[i] = fill_profile_dir(args[i], folder_of(list->items[i]));
    }
    out.args = std::move(args);
  }

  // Checked entry by entry so that a bad name and a bad value elsewhere are both reported.
  const SourceNode* env = process.get("env");
  if (env != nullptr && env->kind == SourceNode::Kind::Map) {
    for (const auto& item : env->entries) {
      const std::string path = process.path_of("env") + "." + item.key;
      if (!is_env_name(item.key)) {
        process.problem(item.key_where, path, "not an environment variable name");
      } else if (item.value.kind != SourceNode::Kind::Scalar) {
        process.problem(item.value.where, path, "expected a string, got " + describe(item.value));
      } else if (auto problem = placeholder_problem(item.value.text, command_placeholders())) {
        process.problem(item.value.where, path, *problem);
      } else {
        out.env[item.key] = fill_profile_dir(item.value.text, folder_of(item.value));
      }
    }
  } else if (env != nullptr && env->kind != SourceNode::Kind::Null) {
    process.problem(env->where, process.path_of("env"), "expected a map, got " + describe(*env));
  }

  process.choice("stdin", out.stdin_mode);
  std::string pattern;
  if (process.string("ready_pattern", pattern)) {
    if (auto problem = regex_problem(pattern)) {
      process.problem_at("ready_pattern", "not a valid regular expression: " + *problem);
    } else {
      out.ready_pattern = pattern;
    }
  }
  process.finish();
}

void read_hooks(MapReader& adapter, bool required, HooksAdapter& out) {
  MapReader hooks = adapter.section("hooks");
  read_command_text(hooks, "reset", out.reset);
  read_command_text(hooks, "power_off", out.power_off);
  read_command_text(hooks, "power_on", out.power_on);
  read_command_text(hooks, "flash", out.flash);
  read_command_text(hooks, "log_start", out.log_start);
  read_command_text(hooks, "log_stop", out.log_stop);
  hooks.duration("timeout", false, out.timeout);

  const SourceNode* inject = hooks.get("inject");
  if (inject != nullptr && inject->kind == SourceNode::Kind::Map) {
    for (const auto& item : inject->entries) {
      const std::string path = hooks.path_of("inject") + "." + item.key;
      if (!find_choice(fault_choices(), item.key)) {
        hooks.problem(item.key_where, path,
                      "unknown fault; expected one of: " + list_names(fault_choices()));
      } else if (auto command = check::string(hooks, item.value, path)) {
        if (auto problem = placeholder_problem(*command, command_placeholders())) {
          hooks.problem(item.value.where, path, *problem);
        } else {
          out.inject[item.key] = fill_profile_dir(*command, folder_of(item.value));
        }
      }
    }
  } else if (inject != nullptr && inject->kind != SourceNode::Kind::Null) {
    hooks.problem(inject->where, hooks.path_of("inject"),
                  "expected a map of fault names to commands, got " + describe(*inject));
  }

  // Without a way to (re)start the device no case can run.
  if (required && !hooks.has("reset") && !hooks.has("power_on")) {
    hooks.missing("reset", "required when adapter.type is hooks (or give power_on)");
  }
  if (hooks.has("power_off") != hooks.has("power_on")) {
    const std::string given = hooks.has("power_off") ? "power_off" : "power_on";
    const std::string other = hooks.has("power_off") ? "power_on" : "power_off";
    hooks.problem_at(given, "needs " + hooks.path_of(other) + " too");
  }
  hooks.finish();
}

}  // namespace

void read_adapter(MapReader& root, Adapter& out) {
  if (!root.has("adapter")) {
    root.missing("adapter", "required section is missing");
    return;
  }
  MapReader adapter = root.section("adapter");
  std::optional<AdapterType> type;
  if (!adapter.choice("type", type) && !adapter.has("type") && adapter.present()) {
    adapter.missing("type", "required key is missing; one of " +
                                list_names(choices<AdapterType>()));
  }
  if (type) out.type = *type;
  read_process(adapter, type == AdapterType::Process, out.process);
  read_hooks(adapter, type == AdapterType::Hooks, out.hooks);
  MapReader manual = adapter.section("manual");
  if (manual.string("instructions", out.manual.instructions)) {
    out.manual.instructions =
        fill_profile_dir(out.manual.instructions, folder_of(*manual.get("instructions")));
  }
  manual.finish();
  adapter.finish();
}

void check_install_time_placeholder(MapReader& root, const Adapter& adapter, const Timing& timing) {
  if (timing.install_time || !adapter_uses(adapter, "{install_time}")) return;
  if (!root.has("timing"))
    root.problem_at("adapter", "{install_time} is used, but timing.install_time (usual, long) does not give its values");
  else if (!root.section("timing").has("install_time"))
    root.problem_at("timing", "the adapter uses {install_time}: give timing.install_time (usual, long)");
}

}  // namespace fc::profile::schema
