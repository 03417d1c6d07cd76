// Single frames of every link type decodeFrame supports. The first byte picks the
// link type, the second how much longer the frame was on the wire, the rest is the
// frame. The frame is copied to a buffer of exactly its size so that ASan catches
// a read one byte past the captured length.
#include "capture/decoder.h"
#include "capture/packet.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace {

namespace lt = tcpviz::linktype;
// Append only: a seed's first byte is an index into this list (make_seeds.py).
constexpr std::array kLinkTypes{lt::Null,       lt::Ethernet,
                                lt::Ppp,        lt::RawBsd,
                                lt::RawOpenBsd, lt::PppHdlc,
                                lt::Raw,        lt::Loop,
                                lt::LinuxSll,   lt::Ipv4,
                                lt::Ipv6,       lt::LinuxSll2,
                                lt::Fddi,       lt::Ieee80211Radiotap,
                                lt::Nflog};
// First-byte values from here on are taken as link type numbers themselves.
constexpr std::size_t kIndexedValues = kLinkTypes.size() * 16;
static_assert(kIndexedValues < 256, "leave first-byte values for unsupported link types");

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2 || size > 70000) {
        return -1; // not worth keeping in the corpus
    }
    // Values past the supported list probe the unsupported-link path.
    const int linkType = data[0] < kIndexedValues ? kLinkTypes.at(data[0] % kLinkTypes.size())
                                                  : static_cast<int>(data[0]);
    const auto capturedLen = static_cast<std::uint32_t>(size - 2);
    const std::uint32_t wireLen = capturedLen + data[1];
    auto frame = std::make_unique<std::uint8_t[]>(capturedLen == 0 ? 1 : capturedLen);
    if (capturedLen > 0) {
        std::memcpy(frame.get(), data + 2, capturedLen);
    }

    tcpviz::DecodedPacket out;
    std::string error;
    const auto status =
        tcpviz::decodeFrame(linkType, frame.get(), capturedLen, wireLen, out, error);
    switch (status) {
    case tcpviz::DecodeStatus::Tcp:
        if (out.malformed && error.empty()) {
            std::abort(); // a malformed frame must say what is wrong
        }
        (void)out.src.toString();
        (void)out.dst.toString();
        break;
    case tcpviz::DecodeStatus::IcmpQuotedTcp:
        (void)out.src.toString();
        (void)out.dst.toString();
        break;
    case tcpviz::DecodeStatus::Error:
        if (error.empty()) {
            std::abort();
        }
        break;
    case tcpviz::DecodeStatus::NotTcp:
    case tcpviz::DecodeStatus::Fragment:
    case tcpviz::DecodeStatus::UnsupportedLink:
        break;
    }
    if (status == tcpviz::DecodeStatus::UnsupportedLink && tcpviz::isSupportedLinkType(linkType)) {
        std::abort();
    }
    return 0;
}
