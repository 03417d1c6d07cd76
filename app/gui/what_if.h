#pragma once

#include "scenario/scenario.h"
#include "sim/host_simulator.h"
#include "trace/trace.h"

#include <QObject>
#include <QString>
#include <QUndoCommand>
#include <QUndoStack>
#include <memory>
#include <optional>
#include <vector>

namespace tcpviz::gui {

/// One what-if action taken at a paused step.
struct Intervention {
    enum class Kind : std::uint8_t { Call, Fault };
    Kind kind = Kind::Call;
    std::size_t position = 0; ///< the step (trace position) at which the user acted
    Side side = Side::Client; ///< whose application acts, or whose next segment is hit
    UserCall call = UserCall::Close;
    std::uint32_t bytes = 0; ///< for UserCall::Send
    FaultKind fault = FaultKind::Drop;
    std::int64_t byUs = 500'000; ///< Delay: extra latency; Duplicate: the copy's lag
    bool operator==(const Intervention&) const = default;
};

/// Human-readable "the client aborts" / "the network drops the server's next segment".
[[nodiscard]] QString describe(const Intervention& intervention);

/// What-if branches of a simulated scenario.
///
/// A branch is the scenario plus a list of interventions. Rather than keeping a
/// forked Simulator per branch, the branch is recomputed from the scenario: a
/// fresh Simulator runs to each intervention's position, applies it, and runs
/// on. The simulator is deterministic, so this reproduces the same branch, and
/// undo/redo is nothing more than swapping the intervention list.
class WhatIfController : public QObject {
    Q_OBJECT
public:
    explicit WhatIfController(QObject* parent = nullptr);

    /// A new scenario (the branch, if any, is dropped and the undo history cleared).
    /// A scenario of many connections (`load:`) comes with its host simulation,
    /// `original` being its named connection: a branch then reruns the whole crowd
    /// with the interventions made on that connection.
    void setScenario(const Scenario& scenario, const Trace& original,
                     std::shared_ptr<const HostSimulation> crowd = nullptr);
    /// Clears everything: what-if is only offered for simulated scenarios.
    void clear();
    [[nodiscard]] bool available() const { return m_scenario.has_value(); }

    /// The trace to show: the branch while one is active, otherwise the original.
    [[nodiscard]] const Trace& current() const { return m_branch ? *m_branch : m_original; }
    [[nodiscard]] const Trace& original() const { return m_original; }
    [[nodiscard]] bool inBranch() const { return m_branch.has_value(); }
    /// The crowd around current(): the branch's host simulation in a branch, the
    /// scenario's otherwise; nullptr for a scenario of one connection.
    [[nodiscard]] const std::shared_ptr<const HostSimulation>& crowd() const {
        return m_branchCrowd ? m_branchCrowd : m_crowd;
    }
    [[nodiscard]] const std::vector<Intervention>& interventions() const { return m_interventions; }
    /// Position in current() where the branch leaves the scenario (0 when not branched).
    [[nodiscard]] std::size_t divergence() const { return m_divergence; }

    /// Acts at `intervention.position` of the current trace (pushes an undoable command).
    /// Returns false with `error` set when the action makes no sense there
    /// (for example "drop the next segment" when that side sends nothing more).
    bool intervene(Intervention intervention, QString& error);
    /// Leaves the branch (undoable).
    void backToScenario();

    [[nodiscard]] QUndoStack* undoStack() { return &m_undo; }

    /// Sets the intervention list and recomputes (used by the undo commands);
    /// traceChanged() then asks to stand at `at` (default: the latest
    /// intervention's step, or 0 without one).
    void apply(const std::vector<Intervention>& interventions,
               std::optional<std::size_t> at = std::nullopt);

signals:
    /// current() changed; `position` is where the view should stand.
    void traceChanged(std::size_t position);

private:
    /// The branch's Trace; for a crowd also its host simulation (`crowd`).
    [[nodiscard]] Trace compute(const std::vector<Intervention>& list, std::size_t* divergence,
                                std::shared_ptr<const HostSimulation>* crowd = nullptr) const;
    /// compute() for a crowd: the host simulation with the interventions.
    [[nodiscard]] HostSimulation computeCrowd(const std::vector<Intervention>& list) const;

    std::optional<Scenario> m_scenario;
    Trace m_original;
    std::optional<Trace> m_branch;
    std::shared_ptr<const HostSimulation> m_crowd;       ///< the scenario's crowd
    std::shared_ptr<const HostSimulation> m_branchCrowd; ///< the branch's crowd
    std::vector<Intervention> m_interventions;
    std::size_t m_divergence = 0;
    QUndoStack m_undo;
};

} // namespace tcpviz::gui
