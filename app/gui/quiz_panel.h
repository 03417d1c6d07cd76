#pragma once

#include "quiz.h"
#include "view_settings.h"

#include <QWidget>
#include <optional>

class QButtonGroup;
class QGroupBox;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace tcpviz::gui {

/// The quiz's side panel (a dock beside the diagram, never over it): what to
/// do next when the quiz is turned on, the question with its choices, the
/// verdict, and the score in words ("1 correct of 2 questions").
///
/// It only shows and collects; MainWindow scores the answer with Quiz and
/// moves the player.
class QuizPanel : public QWidget {
    Q_OBJECT
public:
    explicit QuizPanel(QWidget* parent = nullptr);

    /// The quiz was just turned on: how it works and what to press.
    void showIntro();
    /// Asks `question`; answered() follows when the student answers.
    void ask(const QuizQuestion& question, const ViewSettings& settings);
    /// The verdict on the last answer (rich text), and how to go on.
    void showResult(const QString& html);
    void setScore(int correct, int asked);
    /// Re-reads the texts after a language change.
    void retranslate();

    [[nodiscard]] bool asking() const { return m_question.has_value(); }
    /// Everything the panel says right now, as plain text (tests, screenshots).
    [[nodiscard]] QString shownText() const;
    [[nodiscard]] QString scoreText() const;
    /// Picks choices and answers as a click would (tests, keyboard): a state and
    /// flags (a Segment question has no state: -1), or one of `choices`.
    void choose(int stateChoice, int flagChoice);
    void chooseOption(int choice);
    void submit();

signals:
    /// A Transition or Segment question (a Segment question's state is its `from`).
    void answered(State state, std::optional<std::uint8_t> flags);
    /// A RstAcceptance or TimeWaitTimer question.
    void answeredChoice(QuizChoice choice);

private:
    void clearChoices();
    void updateAnswerButton();
    void updateMessage();
    [[nodiscard]] bool needsState() const;
    [[nodiscard]] bool needsFlags() const;
    [[nodiscard]] bool needsOption() const;

    enum class Mode : std::uint8_t { Intro, Asking, Result };
    Mode m_mode = Mode::Intro;
    std::optional<QuizQuestion> m_question;
    ViewSettings m_settings;
    QString m_resultHtml;
    int m_correct = 0;
    int m_asked = 0;

    QLabel* m_message = nullptr;
    QGroupBox* m_states = nullptr;
    QGroupBox* m_flags = nullptr;
    QGroupBox* m_options = nullptr;
    QVBoxLayout* m_stateLayout = nullptr;
    QVBoxLayout* m_flagLayout = nullptr;
    QVBoxLayout* m_optionLayout = nullptr;
    QButtonGroup* m_stateGroup = nullptr;
    QButtonGroup* m_flagGroup = nullptr;
    QButtonGroup* m_optionGroup = nullptr;
    QPushButton* m_answer = nullptr;
    QLabel* m_score = nullptr;
};

} // namespace tcpviz::gui
