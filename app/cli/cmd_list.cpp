// tcpviz-cli list [--json]
// The built-in scenario library: id, topic, English and Chinese title.
#include "commands.h"
#include "scenario/library.h"

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace tcpviz::cli {

namespace {

/// Terminal columns of UTF-8 text: CJK characters are two columns wide.
std::size_t columns(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        width += len >= 3 ? 2 : 1;
        i += len;
    }
    return width;
}

void padTo(std::ostream& out, std::string_view text, std::size_t width) {
    out << text;
    for (std::size_t w = columns(text); w < width + 2; ++w) {
        out << ' ';
    }
}

int runList(bool json) {
    const auto& all = builtinScenarios();
    for (const auto& e : builtinScenarioErrors()) {
        std::cerr << e.toString() << '\n';
    }
    if (json) {
        auto list = nlohmann::ordered_json::array();
        for (const auto& sc : all) {
            list.push_back({{"id", sc.id},
                            {"topic", sc.topic},
                            {"title", {{"en", sc.title.en}, {"zh", sc.title.zh}}},
                            {"profile", profileName(sc.profile)},
                            {"description", {{"en", sc.description.en}, {"zh", sc.description.zh}}},
                            {"default", sc.id == kDefaultScenarioId}});
        }
        nlohmann::ordered_json out{{"scenarios", std::move(list)}};
        std::cout << out.dump(2) << '\n';
        return builtinScenarioErrors().empty() ? 0 : 1;
    }
    std::size_t idWidth = 2;
    std::size_t topicWidth = 5;
    std::size_t enWidth = 5;
    for (const auto& sc : all) {
        idWidth = std::max(idWidth, columns(sc.id));
        topicWidth = std::max(topicWidth, columns(sc.topic));
        enWidth = std::max(enWidth, columns(sc.title.en));
    }
    padTo(std::cout, "ID", idWidth);
    padTo(std::cout, "TOPIC", topicWidth);
    padTo(std::cout, "TITLE", enWidth);
    std::cout << "标题\n";
    for (const auto& sc : all) {
        padTo(std::cout, sc.id, idWidth);
        padTo(std::cout, sc.topic, topicWidth);
        padTo(std::cout, sc.title.en, enWidth);
        std::cout << sc.title.zh << '\n';
    }
    return builtinScenarioErrors().empty() ? 0 : 1;
}

} // namespace

Command addListCommand(CLI::App& app) {
    auto* sub = app.add_subcommand("list", "List the built-in scenarios (id, topic, titles)");
    auto json = std::make_shared<bool>(false);
    sub->add_flag("--json", *json, "Print the list as JSON");
    return {sub, [json] { return runList(*json); }};
}

} // namespace tcpviz::cli
