// tcpviz-cli host: this machine's sockets as ss reads them, end to end: a
// listener and a half-closed connection made by the test appear, filtered by
// port and state, in the table and the JSON.
#include "cli_run.h"

#include <arpa/inet.h>
#include <array>
#include <cstdio>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

std::string runCli(const std::string& args, int& exitCode) {
    auto r = tcpviz::test::runCli(args);
    exitCode = r.exitCode;
    return r.out;
}

TEST(HostCli, ListsThisMachinesSocketsByPortAndState) {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(listener, 4), 0);
    socklen_t len = sizeof a;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len);
    const int port = ntohs(a.sin_port);
    const int client = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    const int server = ::accept(listener, nullptr, nullptr);
    ASSERT_EQ(::shutdown(client, SHUT_WR), 0);
    char b = 0;
    ASSERT_EQ(::recv(server, &b, 1, 0), 0); // the FIN: the server end is in CLOSE-WAIT

    int code = -1;
    // The client reaches FIN-WAIT-2 when the ACK of its FIN arrives, a moment after
    // the server read the FIN: ask again briefly instead of racing it.
    nlohmann::json j;
    for (int i = 0; i < 50; ++i) {
        const std::string json = runCli("host --json --port " + std::to_string(port), code);
        ASSERT_EQ(code, 0) << json;
        j = nlohmann::json::parse(json);
        if (j.at("counts").at("FIN-WAIT-2") == 1) {
            break;
        }
        ::usleep(20'000);
    }
    EXPECT_EQ(j.at("counts").at("LISTEN"), 1);
    EXPECT_EQ(j.at("counts").at("CLOSE-WAIT"), 1);
    EXPECT_EQ(j.at("counts").at("FIN-WAIT-2"), 1);
    EXPECT_EQ(j.at("sockets").size(), 3U);
    bool ownerSeen = false;
    for (const auto& s : j.at("sockets")) {
        for (const auto& p : s.at("processes")) {
            ownerSeen = ownerSeen || p.at("pid") == ::getpid();
        }
    }
    EXPECT_TRUE(ownerSeen) << "the test process holds these sockets";

    const std::string table =
        runCli("host --state CLOSE_WAIT --port " + std::to_string(port), code);
    EXPECT_EQ(code, 0);
    EXPECT_NE(table.find("       1 CLOSE-WAIT"), std::string::npos) << table;
    EXPECT_EQ(table.find("LISTEN"), std::string::npos) << "filtered by state: " << table;

    runCli("host --state NOPE", code);
    EXPECT_EQ(code, 2);
    ::close(server);
    ::close(client);
    ::close(listener);
}

} // namespace
