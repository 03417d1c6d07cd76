<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Export</name>
    <message>
        <source>%1: cannot write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: unknown export format (use .svg, .png or .pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: --export draws scenarios; open captures in the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: --step %2 is past the end (%3 events)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Quiz</name>
    <message>
        <source>%1 → %2 along the arc “%3”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WhatIf</name>
    <message>
        <source>the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 calls CLOSE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 shuts down its sending side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 aborts (RST)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sends %2 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 listens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 connects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the network drops the next segment of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the network delays the next segment of %1 by %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the network duplicates the next segment of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Makes TCP connection management visible: an animated sequence diagram and the RFC 9293 state graph, for scenarios and captures.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A scenario file (.yaml), a built-in scenario id, or a capture (.pcap, .pcapng). Default: the lecture.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read a capture file; &apos;-&apos; reads standard input (tcpdump -w - | tcpviz -r -).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render the sequence diagram to OUT (.svg, .png or .pdf) without opening a window, then exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --export: draw the diagram as at step N (default: the whole exchange).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interface language for this run: en or zh_CN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start in presentation mode (full screen).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the dark palette.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debugging: save a picture of the window to PNG and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debugging: window size, e.g. 1280x720.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debugging: with --screenshot, play this long first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the time from start to the window&apos;s first paint on standard error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Debugging: exit as soon as the window is shown.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::CaptureController</name>
    <message>
        <source>Opening capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>standard input</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Reading capture: %n TCP packet(s)…</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1: no TCP connection in this capture (%2 packets read)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live capture is not available in this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing captured to save.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::CapturePanel</name>
    <message>
        <source>Filter by address or port, e.g. 10.0.0.1 or :443</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only anomalies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retransmissions, resets, connections that started before the capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All connections (heat map)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show how many endpoints are in each state over time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any final state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heat map at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::ConnectionTableModel</name>
    <message>
        <source>mid-stream</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RST</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n retransmission(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Zeek conn.log history; Wireshark tcp.completeness = %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retrans.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anomalies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::MainWindow</name>
    <message>
        <source>Opening a connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data transfer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing a connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resets and aborts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timers and retransmission</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attacks and defences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About tcpviz</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;tcpviz %1&lt;/h3&gt;&lt;p&gt;Makes TCP connection management visible: the RFC 9293 state machine, an animated sequence diagram, what-if experiments and capture analysis.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a scenario (.yaml) or a capture (.pcap, .pcapng) (Ctrl+O)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as &amp;pcap…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export diagram (whole exchange)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export diagram (as at this step)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as &amp;Mermaid text…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as &amp;PlantUML text…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Relative sequence numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RFC 9293 (SYN-RECEIVED)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Linux ss (SYN-RECV)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dark palette</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenario &amp;library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step &amp;back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step back one event (Left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step &amp;forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step forward one event (Right)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To &amp;start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jump to the start (Home)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To &amp;end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jump to the end (End)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Faster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Slower</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quiz</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quiz: before each transition, guess the next state and the flags sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Back to the scenario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start live capture…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;top live capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About tcpviz</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;hutdown (half-close)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Abort (RST)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send &amp;data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop the %1&apos;s next segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delay the %1&apos;s next segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate the %1&apos;s next segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State &amp;names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Scenarios</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;What if</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The &amp;client…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The &amp;server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The &amp;network…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Player</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenarios</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a built-in scenario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playback speed (+/-)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeline: one tick per segment (blue: client, orange: server, red: lost)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the scenario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenario library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open scenario</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture from standard input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step %1 / %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quiz score: %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at step %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch: what if %1? (not the scenario as written)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, then </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Play (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open scenario or capture</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scenarios and captures (*.yaml *.yml *.pcap *.pcapng *.cap);;Scenarios (*.yaml *.yml);;Captures (*.pcap *.pcapng *.cap);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the whole diagram</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the diagram as at this step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG image (*.svg);;PNG image (*.png);;PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as Mermaid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as PlantUML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mermaid (*.mmd *.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PlantUML (*.puml *.plantuml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as pcap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pcap capture (*.pcap)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What if: send data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes the client sends:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes the server sends:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What if</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quiz</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 is in %2. Which state does it enter next?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment it sends at that moment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Right!</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Right state, wrong segment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Right segment, wrong state.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not quite.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 enters %2 and sends %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live capture</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::WhatIfController</name>
    <message>
        <source>What-if needs a simulated scenario; a capture shows what really happened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sends no more segments after this step, so there is nothing for the network to hit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What if %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the scenario</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
