#include "what_if.h"

#include "narration/narrator.h"
#include "sim/simulator.h"

#include <QCoreApplication>
#include <algorithm>

namespace tcpviz::gui {

namespace {

QString sideText(Side side) {
    return side == Side::Client ? QCoreApplication::translate("WhatIf", "the client")
                                : QCoreApplication::translate("WhatIf", "the server");
}

/// Flags of the first segment `side` sends in `probe`'s future (after `from` events).
std::optional<std::uint8_t> nextSegmentFlags(Simulator probe, std::size_t from, Side side) {
    probe.runToEnd();
    const auto& events = probe.trace().events();
    for (std::size_t i = from; i < events.size(); ++i) {
        const auto& e = events[i];
        if (e.kind == EventKind::Send && e.endpoint == side && !e.injected) {
            return e.segment.flags;
        }
    }
    return std::nullopt;
}

/// Swaps the intervention list; QUndoStack calls redo() when the command is pushed.
/// Both ways the view stands at the step where the what-if was made (`at`):
/// that is where the student was looking when acting, and where the branch
/// and the scenario part.
class InterventionCommand : public QUndoCommand {
public:
    InterventionCommand(WhatIfController* controller, std::vector<Intervention> before,
                        std::vector<Intervention> after, std::size_t at, const QString& text)
        : QUndoCommand(text)
        , m_controller(controller)
        , m_before(std::move(before))
        , m_after(std::move(after))
        , m_at(at) {}

    void undo() override { m_controller->apply(m_before, m_at); }
    void redo() override { m_controller->apply(m_after, m_at); }

private:
    WhatIfController* m_controller;
    std::vector<Intervention> m_before;
    std::vector<Intervention> m_after;
    std::size_t m_at;
};

} // namespace

QString describe(const Intervention& iv) {
    const QString who = sideText(iv.side);
    if (iv.kind == Intervention::Kind::Call) {
        switch (iv.call) {
        case UserCall::Close:
            return QCoreApplication::translate("WhatIf", "%1 calls CLOSE").arg(who);
        case UserCall::Shutdown:
            return QCoreApplication::translate("WhatIf", "%1 shuts down its sending side").arg(who);
        case UserCall::Abort:
            return QCoreApplication::translate("WhatIf", "%1 aborts (RST)").arg(who);
        case UserCall::Send:
            return QCoreApplication::translate("WhatIf", "%1 sends %2 bytes")
                .arg(who)
                .arg(iv.bytes);
        case UserCall::Listen:
            return QCoreApplication::translate("WhatIf", "%1 listens").arg(who);
        case UserCall::Connect:
            return QCoreApplication::translate("WhatIf", "%1 connects").arg(who);
        default: // the socket calls a scenario writes; what-if offers none of them
            return QCoreApplication::translate("WhatIf", "%1 calls %2")
                .arg(who, QString::fromUtf8(userCallName(iv.call)));
        }
    }
    switch (iv.fault) {
    case FaultKind::Drop:
        return QCoreApplication::translate("WhatIf", "the network drops the next segment of %1")
            .arg(who);
    case FaultKind::Delay:
        return QCoreApplication::translate("WhatIf",
                                           "the network delays the next segment of %1 by %2 ms")
            .arg(who)
            .arg(iv.byUs / 1000);
    case FaultKind::Duplicate:
        return QCoreApplication::translate("WhatIf",
                                           "the network duplicates the next segment of %1")
            .arg(who);
    }
    return {};
}

WhatIfController::WhatIfController(QObject* parent)
    : QObject(parent) {}

void WhatIfController::setScenario(const Scenario& scenario, const Trace& original,
                                   std::shared_ptr<const HostSimulation> crowd) {
    m_undo.clear();
    m_scenario = scenario;
    m_original = original;
    m_crowd = std::move(crowd);
    m_branchCrowd.reset();
    m_branch.reset();
    m_interventions.clear();
    m_divergence = 0;
}

void WhatIfController::clear() {
    m_undo.clear();
    m_scenario.reset();
    m_original = Trace{};
    m_crowd.reset();
    m_branchCrowd.reset();
    m_branch.reset();
    m_interventions.clear();
    m_divergence = 0;
}

HostSimulation WhatIfController::computeCrowd(const std::vector<Intervention>& list) const {
    std::vector<HostIntervention> resolved;
    for (const Intervention& iv : list) {
        HostIntervention h;
        h.position = iv.position;
        h.side = iv.side;
        if (iv.kind == Intervention::Kind::Call) {
            h.call = iv.call;
            h.bytes = iv.bytes;
            resolved.push_back(h);
            continue;
        }
        // The segment hit is the next one that side sends on the path so far.
        const HostSimulation path = simulateHosts(*m_scenario, {}, resolved);
        const Trace& t = path.connections.at(path.named).trace;
        std::optional<std::uint8_t> flags;
        for (std::size_t i = iv.position; i < t.size() && !flags; ++i) {
            const TraceEvent& e = t.event(i);
            if (e.kind == EventKind::Send && e.endpoint == iv.side && !e.injected) {
                flags = e.segment.flags;
            }
        }
        if (!flags) {
            continue; // checked in intervene(); nothing to hit
        }
        h.fault.kind = iv.fault;
        h.fault.from = iv.side;
        h.fault.flags = *flags;
        h.fault.nth = 1;
        if (iv.fault == FaultKind::Delay) {
            h.fault.byUs = iv.byUs;
        } else if (iv.fault == FaultKind::Duplicate) {
            h.fault.afterUs = iv.byUs;
        }
        resolved.push_back(h);
    }
    return simulateHosts(*m_scenario, {}, resolved);
}

Trace WhatIfController::compute(const std::vector<Intervention>& list, std::size_t* divergence,
                                std::shared_ptr<const HostSimulation>* crowdOut) const {
    if (m_crowd) {
        HostSimulation crowd = computeCrowd(list);
        Trace branch = crowd.connections.at(crowd.named).trace;
        const std::size_t at = crowd.intervenedAt.empty() ? branch.size() : crowd.intervenedAt[0];
        if (divergence != nullptr) {
            *divergence = at;
        }
        auto& notes = branch.meta.stepNotes;
        notes.erase(std::remove_if(notes.begin(), notes.end(),
                                   [at](const EventNote& n) { return n.event >= at; }),
                    notes.end());
        if (crowdOut != nullptr) {
            *crowdOut = std::make_shared<const HostSimulation>(std::move(crowd));
        }
        return branch;
    }
    Simulator sim(*m_scenario);
    bool first = true;
    for (const auto& iv : list) {
        sim.runUntil(iv.position);
        if (first && divergence != nullptr) {
            *divergence = sim.trace().size();
            first = false;
        }
        if (iv.kind == Intervention::Kind::Call) {
            sim.userCall(iv.side, iv.call, iv.bytes);
            continue;
        }
        const auto flags = nextSegmentFlags(sim, sim.trace().size(), iv.side);
        if (!flags) {
            continue; // checked in intervene(); nothing to hit
        }
        Fault fault;
        fault.kind = iv.fault;
        fault.from = iv.side;
        fault.flags = *flags;
        fault.nth = 1;
        if (iv.fault == FaultKind::Delay) {
            fault.byUs = iv.byUs;
        } else if (iv.fault == FaultKind::Duplicate) {
            fault.afterUs = iv.byUs;
        }
        sim.addFault(fault);
    }
    sim.runToEnd();
    Trace branch = sim.trace();
    // The lesson's step notes tell the lesson's path ("the client is in
    // TIME-WAIT", "its TCP sends FIN"); after the divergence the branch has its
    // own, and only the narration of what happens in it is true.
    if (divergence != nullptr) {
        auto& notes = branch.meta.stepNotes;
        notes.erase(
            std::remove_if(notes.begin(), notes.end(),
                           [at = *divergence](const EventNote& n) { return n.event >= at; }),
            notes.end());
    }
    return branch;
}

bool WhatIfController::intervene(Intervention iv, QString& error) {
    if (!m_scenario) {
        error = tr("What-if needs a simulated scenario; a capture shows what really happened.");
        return false;
    }
    if (iv.kind == Intervention::Kind::Fault) {
        // Probe: does that side send anything after this point on the current path?
        // The current path is what the simulator would do from here, so its
        // future tells whether that side sends anything more.
        const Trace& path = current();
        bool sends = false;
        for (std::size_t i = iv.position; i < path.size(); ++i) {
            const auto& e = path.event(i);
            if (e.kind == EventKind::Send && e.endpoint == iv.side && !e.injected) {
                sends = true;
                break;
            }
        }
        if (!sends) {
            error = tr("After this step %1 sends no more segments, so there is nothing for the "
                       "network to hit.")
                        .arg(sideText(iv.side));
            return false;
        }
    }
    // Acting before an earlier intervention replaces the later ones: that part
    // of the branch no longer happens.
    std::vector<Intervention> after;
    for (const auto& earlier : m_interventions) {
        if (earlier.position <= iv.position) {
            after.push_back(earlier);
        }
    }
    after.push_back(iv);
    m_undo.push(new InterventionCommand(this, m_interventions, after, iv.position,
                                        tr("What if %1").arg(describe(iv))));
    return true;
}

void WhatIfController::backToScenario() {
    if (m_interventions.empty()) {
        return;
    }
    // Back at the step of the latest what-if: the scenario as written, seen
    // from where the student left it.
    m_undo.push(new InterventionCommand(this, m_interventions, {}, m_interventions.back().position,
                                        tr("Back to the scenario")));
}

void WhatIfController::apply(const std::vector<Intervention>& interventions,
                             std::optional<std::size_t> at) {
    if (!m_scenario) {
        return;
    }
    m_interventions = interventions;
    m_branchCrowd.reset();
    if (m_interventions.empty()) {
        m_branch.reset();
        m_divergence = 0;
    } else {
        std::size_t divergence = 0;
        m_branch = compute(m_interventions, &divergence, &m_branchCrowd);
        m_divergence = divergence;
    }
    const std::size_t position =
        at ? *at : (m_interventions.empty() ? 0 : m_interventions.back().position);
    emit traceChanged(std::min(position, current().size()));
}

} // namespace tcpviz::gui
