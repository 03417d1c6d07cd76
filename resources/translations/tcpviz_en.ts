<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>tcpviz::SegmentDetailsView</name>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tcpviz::StateGraphView</name>
    <message numerus="yes">
        <source>%n connection(s) in this state</source>
        <translation>
            <numerusform>%n connection in this state</numerusform>
            <numerusform>%n connections in this state</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::CaptureController</name>
    <message numerus="yes">
        <source>Reading capture: %n TCP packet(s)…</source>
        <translation>
            <numerusform>Reading capture: %n TCP packet…</numerusform>
            <numerusform>Reading capture: %n TCP packets…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::CapturePanel</name>
    <message numerus="yes">
        <source>%n packet problem(s)</source>
        <translation>
            <numerusform>%n packet problem</numerusform>
            <numerusform>%n packet problems</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more, counted but not listed</source>
        <translation>
            <numerusform>… and %n more, counted but not listed</numerusform>
            <numerusform>… and %n more, counted but not listed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s)</source>
        <translation>
            <numerusform>%n connection</numerusform>
            <numerusform>%n connections</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::ConnectionFilterModel</name>
    <message numerus="yes">
        <source>No connection ended in %1, but %n passed through it: choose “ever in state” to list them.</source>
        <translation>
            <numerusform>No connection ended in %1, but %n passed through it: choose “ever in state” to list it.</numerusform>
            <numerusform>No connection ended in %1, but %n passed through it: choose “ever in state” to list them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>No connection was in %1 at %2, but %n passed through it at other times: move the cursor or choose “ever in state”.</source>
        <translation>
            <numerusform>No connection was in %1 at %2, but %n passed through it at another time: move the cursor or choose “ever in state”.</numerusform>
            <numerusform>No connection was in %1 at %2, but %n passed through it at other times: move the cursor or choose “ever in state”.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::ConnectionTableModel</name>
    <message numerus="yes">
        <source>%n retransmission(s)</source>
        <translation>
            <numerusform>%n retransmission</numerusform>
            <numerusform>%n retransmissions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n RST segment(s): packets %1</source>
        <translation>
            <numerusform>%n RST segment: packet %1</numerusform>
            <numerusform>%n RST segments: packets %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n retransmission(s): packets %1</source>
        <translation>
            <numerusform>%n retransmission: packet %1</numerusform>
            <numerusform>%n retransmissions: packets %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n retransmission(s)</source>
        <translation>
            <numerusform>%n retransmission</numerusform>
            <numerusform>%n retransmissions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n capture copy(ies)</source>
        <translation>
            <numerusform>%n capture copy</numerusform>
            <numerusform>%n capture copies</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::HostSocketsPanel</name>
    <message numerus="yes">
        <source>%n socket(s) more than the table shows: filter by port or state.</source>
        <translation>
            <numerusform>%n socket more than the table shows: filter by port or state.</numerusform>
            <numerusform>%n sockets more than the table shows: filter by port or state.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::MainWindow</name>
    <message numerus="yes">
        <source>&lt;p&gt;&lt;b&gt;Heat map:&lt;/b&gt; the state graph counts the endpoints of all %n connection(s) in each state at the time chosen below the table. Play the overview to watch them move; a pile-up in TIME-WAIT or CLOSE-WAIT stands out. Select a row to step through one connection.&lt;/p&gt;</source>
        <translation>
            <numerusform>&lt;p&gt;&lt;b&gt;Heat map:&lt;/b&gt; the state graph counts the endpoints of all %n connection in each state at the time chosen below the table. Play the overview to watch them move; a pile-up in TIME-WAIT or CLOSE-WAIT stands out. Select a row to step through one connection.&lt;/p&gt;</numerusform>
            <numerusform>&lt;p&gt;&lt;b&gt;Heat map:&lt;/b&gt; the state graph counts the endpoints of all %n connections in each state at the time chosen below the table. Play the overview to watch them move; a pile-up in TIME-WAIT or CLOSE-WAIT stands out. Select a row to step through one connection.&lt;/p&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) in %1 packets (%2 TCP), over %3.</source>
        <translation>
            <numerusform>%n connection in %1 packets (%2 TCP), over %3.</numerusform>
            <numerusform>%n connections in %1 packets (%2 TCP), over %3.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) with retransmissions</source>
        <translation>
            <numerusform>%n connection with retransmissions</numerusform>
            <numerusform>%n connections with retransmissions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n retransmitted segment(s)</source>
        <translation>
            <numerusform>%n retransmitted segment</numerusform>
            <numerusform>%n retransmitted segments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n reset by a RST</source>
        <translation>
            <numerusform>%n reset by a RST</numerusform>
            <numerusform>%n reset by a RST</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n already open when the capture began</source>
        <translation>
            <numerusform>%n already open when the capture began</numerusform>
            <numerusform>%n already open when the capture began</numerusform>
        </translation>
    </message>
</context>
</TS>
