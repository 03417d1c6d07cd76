#include "capture/capture_point.h"

#include "tcp/seq.h"

namespace tcpviz {

std::string_view basisName(CapturePoint::Basis basis) {
    switch (basis) {
    case CapturePoint::Basis::Handshake:
        return "handshake";
    case CapturePoint::Basis::Data:
        return "data";
    case CapturePoint::Basis::None:
        break;
    }
    return "none";
}

void CapturePointEstimator::onPacket(Side sender, const Segment& t, std::int64_t timeNs) {
    const bool syn = t.has(flag::SYN);
    const bool ack = t.has(flag::ACK);
    if (t.has(flag::RST)) {
        return;
    }
    // The handshake: the last SYN before the SYN,ACK (an earlier one was lost or
    // unanswered), the first SYN,ACK, and the client's ACK of it.
    if (syn && !ack && sender == Side::Client && m_synAckNs < 0) {
        m_synNs = timeNs;
    } else if (syn && ack && sender == Side::Server && m_synNs >= 0 && m_synAckNs < 0) {
        m_synAckNs = timeNs;
        m_synAckSeq = t.seq;
    } else if (!syn && ack && sender == Side::Client && m_synAckNs >= 0 && m_ackNs < 0 &&
               t.ack == m_synAckSeq + 1) {
        m_ackNs = timeNs;
    }

    // Data answered: the peer's ACK covering the sampled data ends the sample.
    const auto me = static_cast<std::size_t>(sender);
    const auto other = static_cast<std::size_t>(peer(sender));
    if (ack && m_pendingActive.at(other) && seqGe(t.ack, m_pendingEnd.at(other))) {
        const std::int64_t rtt = timeNs - m_pendingNs.at(other);
        std::int64_t& best = m_quickest.at(me);
        if (rtt >= 0 && (best < 0 || rtt < best)) {
            best = rtt;
        }
        m_pendingActive.at(other) = false;
    }
    if (t.len == 0 || syn) {
        return;
    }
    const std::uint32_t end = t.seq + t.len;
    const bool retransmission = m_sent.at(me) && !seqGt(end, m_highestEnd.at(me));
    if (retransmission) {
        m_pendingActive.at(me) = false; // its ACK could answer either copy
    } else if (!m_pendingActive.at(me)) {
        m_pendingNs.at(me) = timeNs;
        m_pendingEnd.at(me) = end;
        m_pendingActive.at(me) = true;
    }
    if (!m_sent.at(me) || seqGt(end, m_highestEnd.at(me))) {
        m_highestEnd.at(me) = end;
        m_sent.at(me) = true;
    }
}

CapturePoint CapturePointEstimator::estimate() const {
    CapturePoint p;
    if (m_synNs >= 0 && m_synAckNs >= 0 && m_ackNs >= 0) {
        p.basis = CapturePoint::Basis::Handshake;
        p.serverNs = (m_synAckNs - m_synNs) / 2;
        p.clientNs = (m_ackNs - m_synAckNs) / 2;
    } else if (m_quickest[0] >= 0 && m_quickest[1] >= 0) {
        p.basis = CapturePoint::Basis::Data;
        p.clientNs = m_quickest[0] / 2;
        p.serverNs = m_quickest[1] / 2;
    }
    return p;
}

} // namespace tcpviz
