#include "reports/svg_timeline.h"

#include <algorithm>
#include <fmt/format.h>
#include <optional>

#include "reports/coverage.h"
#include "reports/run_record.h"
#include "reports/text_safety.h"

namespace fc::reports {

namespace {

constexpr double kWidth = 760, kLeft = 130, kRight = 20, kLaneHeight = 54, kTop = 10;

struct Point {
  double ms;
  std::int64_t value;
  std::string source;
};

std::string lane(const std::vector<Point>& points, double lane_top, double scale_ms, const std::string& label,
                 std::string (*name)(std::int64_t), const char* colour) {
  std::string svg = fmt::format(R"(<text x="4" y="{:.1f}" class="lane">{}</text>)", lane_top + kLaneHeight / 2 + 4, label);
  svg += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" class="axis"/>)", kLeft, lane_top + kLaneHeight,
                     kWidth - kRight, lane_top + kLaneHeight);
  if (points.empty()) return svg;
  double plot = kWidth - kLeft - kRight;
  auto x = [&](double ms) { return kLeft + (scale_ms > 0 ? ms / scale_ms * plot : 0); };
  // Values sit on two alternating heights so that neighbouring labels do not collide.
  auto y = [&](std::size_t i) { return lane_top + (i % 2 ? 34.0 : 18.0); };
  std::string path;
  for (std::size_t i = 0; i < points.size(); ++i) {
    double px = x(points[i].ms);
    if (i == 0) path += fmt::format("M{:.1f},{:.1f}", px, y(i));
    else path += fmt::format(" H{:.1f} V{:.1f}", px, y(i));
  }
  path += fmt::format(" H{:.1f}", kWidth - kRight);
  svg += fmt::format(R"(<path d="{}" fill="none" stroke="{}" stroke-width="2"/>)", path, colour);
  for (std::size_t i = 0; i < points.size(); ++i) {
    double px = x(points[i].ms);
    svg += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"><title>+{:.1f} ms {} ({})</title></circle>)", px,
                       y(i), colour, points[i].ms, html_escape(name(points[i].value)), html_escape(points[i].source));
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" class="value">{}</text>)", px + 3, y(i) - 5, points[i].value);
  }
  return svg;
}

}  // namespace

std::string timeline_svg(const record::CaseRecord& record) {
  const auto& entries = record.timeline.entries();
  if (entries.empty()) return {};
  std::vector<Point> state, result;
  double end_ms = std::max(0.0, offset_ms(record.started, record.ended));
  for (const auto& t : entries) {
    double ms = std::max(0.0, offset_ms(record.started, t.time));
    end_ms = std::max(end_ms, ms);
    auto& list = t.resource == record::FirmwareResource::State ? state : result;
    if (!list.empty() && list.back().value == t.value) continue;  // a repeat is no change
    list.push_back(Point{ms, t.value, t.source});
  }
  double height = kTop + 2 * kLaneHeight + 28;
  std::string svg = fmt::format(
      R"(<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="State and Update Result over time">)",
      kWidth, height, kWidth, height);
  svg += lane(state, kTop, end_ms, "State /5/0/3", state_name, "#1f5fa8");
  svg += lane(result, kTop + kLaneHeight, end_ms, "Result /5/0/5", result_name, "#b2570f");
  double axis_y = kTop + 2 * kLaneHeight + 16;
  for (int i = 0; i <= 4; ++i) {
    double x = kLeft + (kWidth - kLeft - kRight) * i / 4.0;
    double ms = end_ms * i / 4.0;
    int decimals = end_ms >= 40 ? 0 : end_ms >= 4 ? 1 : 2;  // distinct labels on short cases
    const char* anchor = i == 0 ? "start" : i == 4 ? "end" : "middle";
    svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" class="tick" text-anchor="{}">{:.{}f} ms</text>)", x, axis_y, anchor, ms,
                       decimals);
  }
  svg += "</svg>";
  return svg;
}

}  // namespace fc::reports
