<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Export</name>
    <message>
        <source>%1: cannot write</source>
        <translation>%1：无法写入</translation>
    </message>
    <message>
        <source>%1: --graph and --size draw pictures (use .svg, .png or .pdf)</source>
        <translation>%1：--graph 和 --size 只能绘制图片（请使用 .svg、.png 或 .pdf）</translation>
    </message>
    <message>
        <source>%1: --compare draws two ladders as a picture (use .svg, .png or .pdf; not with --graph)</source>
        <translation>%1：--compare 把两幅时序图画成一张图片（请使用 .svg、.png 或 .pdf；不能与 --graph 同用）</translation>
    </message>
    <message>
        <source>As captured: %1, connection #%2</source>
        <translation>抓包原貌：%1，连接 #%2</translation>
    </message>
    <message>
        <source>Replay of %1, connection #%2 (not exact)</source>
        <translation>%1 连接 #%2 的重放（不完全一致）</translation>
    </message>
    <message>
        <source>What if: %1</source>
        <translation>假如：%1</translation>
    </message>
    <message>
        <source>the capture</source>
        <translation>抓包</translation>
    </message>
    <message>
        <source>the scenario</source>
        <translation>原场景</translation>
    </message>
    <message>
        <source>%1: which connection? Add --connection N (the capture holds %2; N from 0 to %3, as tcpviz-cli analyze lists them)</source>
        <translation>%1：要导出哪个连接？请加上 --connection N（该抓包共有 %2 个连接；N 取 0 到 %3，与 tcpviz-cli analyze 列出的编号一致）</translation>
    </message>
    <message>
        <source>%1: no connection %2 (the capture holds %3; N from 0 to %4)</source>
        <translation>%1：没有编号为 %2 的连接（该抓包共有 %3 个连接；N 取 0 到 %4）</translation>
    </message>
    <message>
        <source>%1: --connection picks a connection of a capture (.pcap, .pcapng); this is a scenario</source>
        <translation>%1：--connection 用于从抓包文件（.pcap、.pcapng）中选择连接；这是一个场景</translation>
    </message>
    <message>
        <source>%1: --step %2 is past the end (%3 events)</source>
        <translation>%1：--step %2 超出了末尾（共 %3 个事件）</translation>
    </message>
    <message>
        <source>%1: unknown export format (use .svg, .png, .pdf, .mmd or .puml)</source>
        <translation>%1：未知的导出格式（请使用 .svg、.png、.pdf、.mmd 或 .puml）</translation>
    </message>
</context>
<context>
    <name>HelpDialogs</name>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Play or pause</source>
        <translation>播放或暂停</translation>
    </message>
    <message>
        <source>One step back / forward</source>
        <translation>后退 / 前进一步</translation>
    </message>
    <message>
        <source>To the start / to the end</source>
        <translation>跳到开头 / 结尾</translation>
    </message>
    <message>
        <source>Play faster / slower</source>
        <translation>加快 / 放慢播放</translation>
    </message>
    <message>
        <source>Zoom the sequence diagram in / out</source>
        <translation>放大 / 缩小时序图</translation>
    </message>
    <message>
        <source>Fit the whole exchange in the window</source>
        <translation>让整个交互过程适合窗口</translation>
    </message>
    <message>
        <source>Presentation mode on / off</source>
        <translation>打开 / 关闭演示模式</translation>
    </message>
    <message>
        <source>Leave presentation mode</source>
        <translation>退出演示模式</translation>
    </message>
    <message>
        <source>Presentation mode: show or hide the packet details</source>
        <translation>演示模式：显示或隐藏报文详情</translation>
    </message>
    <message>
        <source>Show or hide the scenario library</source>
        <translation>显示或隐藏场景库</translation>
    </message>
    <message>
        <source>Quiz on / off</source>
        <translation>打开 / 关闭测验</translation>
    </message>
    <message>
        <source>Undo / redo a what-if</source>
        <translation>撤销 / 重做一次假设实验</translation>
    </message>
    <message>
        <source>Back to the scenario as written</source>
        <translation>回到原始场景</translation>
    </message>
    <message>
        <source>Open a scenario or a capture</source>
        <translation>打开场景或抓包文件</translation>
    </message>
    <message>
        <source>Export the whole diagram</source>
        <translation>导出整个图</translation>
    </message>
    <message>
        <source>Export the diagram as at this step</source>
        <translation>导出当前步骤的图</translation>
    </message>
    <message>
        <source>Save the exchange as pcap</source>
        <translation>将交互过程保存为 pcap</translation>
    </message>
    <message>
        <source>This list of keys</source>
        <translation>本按键列表</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Double-click an arrow: go to the step it arrives; click: its fields</source>
        <translation>双击箭头：跳到它到达的那一步；单击：查看它的字段</translation>
    </message>
    <message>
        <source>Writing scenarios</source>
        <translation>编写场景</translation>
    </message>
    <message>
        <source>What do the colours mean?</source>
        <translation>颜色代表什么？</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Blue, badge %1: the client. Its current state is lit blue in the state graph; its lifeline and the segments it sends are blue.</source>
        <translation>蓝色，标记 %1：客户端。状态图中它的当前状态以蓝色点亮；它的生命线和它发送的报文段都是蓝色。</translation>
    </message>
    <message>
        <source>Orange, badge %1: the server, in the same way. A state both are in is split half blue, half orange.</source>
        <translation>橙色，标记 %1：服务器，同理。双方同处的状态一半蓝色、一半橙色。</translation>
    </message>
    <message>
        <source>Pale bands along a lifeline and pale nodes: each state has a tint of its own (opening, established, closing, waiting), so the phases stand apart.</source>
        <translation>生命线旁的浅色色带和浅色节点：每个状态有自己的底色（建立中、已建立、关闭中、等待），各阶段一目了然。</translation>
    </message>
    <message>
        <source>Arrows</source>
        <translation>箭头</translation>
    </message>
    <message>
        <source>Solid arrow: a segment, from the time it was sent to the time it arrived.</source>
        <translation>实线箭头：一个报文段，从发送时刻画到到达时刻。</translation>
    </message>
    <message>
        <source>Red cross where the line stops, tagged “lost”: the network dropped the segment.</source>
        <translation>线在红叉处中断，标注“丢失”：网络丢弃了该报文段。</translation>
    </message>
    <message>
        <source>Dashed arrow, tagged “retransmission”: the segment sent again after its timer (RTO) expired.</source>
        <translation>虚线箭头，标注“重传”：重传定时器（RTO）超时后再次发送的报文段。</translation>
    </message>
    <message>
        <source>Dash-dot arrow, tagged “duplicate”: a second copy the network made.</source>
        <translation>点划线箭头，标注“副本”：网络复制出的第二份报文段。</translation>
    </message>
    <message>
        <source>Arrow starting at a diamond between the lifelines, tagged “injected”: a segment no endpoint sent (an attacker or an old duplicate).</source>
        <translation>从两条生命线之间的菱形出发、标注“注入”的箭头：不是任何一端发送的报文段（攻击者或旧的重复报文）。</translation>
    </message>
</context>
<context>
    <name>Quiz</name>
    <message>
        <source>%1 → %2 along the arc “%3”.</source>
        <translation>%1 → %2，沿状态图中的弧“%3”。</translation>
    </message>
    <message>
        <source>client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>In %1 there is no connection to reset: a RST is ignored (RFC 9293 3.10.7.1 and 3.10.7.2).</source>
        <translation>在 %1 没有可以复位的连接：RST 被忽略（RFC 9293 3.10.7.1 与 3.10.7.2）。</translation>
    </message>
    <message>
        <source>In SYN-SENT a RST counts only if it acknowledges our SYN. Its ACK=%1 does, so the connection attempt is refused (RFC 9293 3.10.7.3).</source>
        <translation>在 SYN-SENT，只有确认了我们 SYN 的 RST 才算数。它的 ACK=%1 正是如此，所以连接尝试被拒绝（RFC 9293 3.10.7.3）。</translation>
    </message>
    <message>
        <source>In SYN-SENT a RST counts only if it acknowledges our SYN (ACK=%1); this one does not, so it is dropped (RFC 9293 3.10.7.3).</source>
        <translation>在 SYN-SENT，只有确认了我们 SYN（ACK=%1）的 RST 才算数；这个没有，所以被丢弃（RFC 9293 3.10.7.3）。</translation>
    </message>
    <message>
        <source>SEQ=%1 is exactly RCV.NXT=%2, the next number the %3 expects: only the real peer can know it, so the reset is genuine (RFC 9293 3.10.7.4, RFC 5961 section 3).</source>
        <translation>SEQ=%1 恰好等于 RCV.NXT=%2，即%3期望的下一个序号：只有真正的对方才知道它，所以这个复位是真实的（RFC 9293 3.10.7.4，RFC 5961 第 3 节）。</translation>
    </message>
    <message>
        <source>SEQ=%1 is inside the receive window [%2, %3) but is not RCV.NXT=%2. An attacker who only guessed a number in the window could have sent it, so the %4 does not reset: it sends a challenge ACK with its real position, which a genuine peer answers with an exact RST (RFC 5961 section 3).</source>
        <translation>SEQ=%1 在接收窗口 [%2, %3) 之内，但不等于 RCV.NXT=%2。只猜中窗口内某个序号的攻击者也能发出它，所以%4不复位：它发送一个带有真实位置的挑战 ACK，真正的对方会用一个精确的 RST 回答（RFC 5961 第 3 节）。</translation>
    </message>
    <message>
        <source>SEQ=%1 is outside the receive window [%2, %3): the RST is dropped without a word (RFC 9293 3.10.7.4).</source>
        <translation>SEQ=%1 在接收窗口 [%2, %3) 之外：这个 RST 被悄悄丢弃（RFC 9293 3.10.7.4）。</translation>
    </message>
    <message>
        <source>This FIN is not a copy of the peer's last FIN, the one TIME-WAIT waits for: TCP answers with what it really expects, and the 2×MSL timer keeps running.</source>
        <translation>这个 FIN 不是 TIME-WAIT 所等待的对方最后那个 FIN 的副本：TCP 用它真正期望的内容回答，2×MSL 定时器继续运行。</translation>
    </message>
    <message>
        <source>The connection left TIME-WAIT at this arrival: its timer is gone.</source>
        <translation>连接在这次到达时离开了 TIME-WAIT：它的定时器也随之消失。</translation>
    </message>
    <message>
        <source>The FIN came again: the peer never got the last ACK and retransmitted its FIN. That is what TIME-WAIT waits for. TCP acknowledges the FIN again and restarts the 2×MSL timer, since this ACK may be lost as well (RFC 9293 3.10.7.4).</source>
        <translation>FIN 又来了：对方没有收到最后的 ACK，于是重传了它的 FIN。TIME-WAIT 等的正是这种情况。TCP 再次确认这个 FIN，并重新启动 2×MSL 定时器，因为这个 ACK 也可能丢失（RFC 9293 3.10.7.4）。</translation>
    </message>
    <message>
        <source>The connection now ends %1 from this moment, instead of the %2 that were left.</source>
        <translation>连接现在将在此刻之后 %1 结束，而不是原先剩下的 %2。</translation>
    </message>
    <message>
        <source>The %1 accepts the RST: the connection is reset.</source>
        <translation>%1接受这个 RST：连接被复位。</translation>
    </message>
    <message>
        <source>The %1 does not accept it: it keeps the connection and sends a challenge ACK.</source>
        <translation>%1不接受它：保留连接并发送挑战 ACK。</translation>
    </message>
    <message>
        <source>The %1 does not accept it: it drops the RST silently.</source>
        <translation>%1不接受它：悄悄丢弃这个 RST。</translation>
    </message>
    <message>
        <source>The TIME-WAIT timer of the %1 keeps running.</source>
        <translation>%1的 TIME-WAIT 定时器继续运行。</translation>
    </message>
    <message>
        <source>The %1 acknowledges the FIN again and restarts its 2×MSL timer.</source>
        <translation>%1再次确认这个 FIN，并重新启动它的 2×MSL 定时器。</translation>
    </message>
    <message>
        <source>The TIME-WAIT timer of the %1 stops: the connection closes.</source>
        <translation>%1的 TIME-WAIT 定时器停止：连接关闭。</translation>
    </message>
    <message>
        <source>Yes: it resets the connection</source>
        <translation>会：它复位连接</translation>
    </message>
    <message>
        <source>No: it answers with a challenge ACK</source>
        <translation>不会：它用挑战 ACK 回答</translation>
    </message>
    <message>
        <source>No: it drops the RST silently</source>
        <translation>不会：它悄悄丢弃这个 RST</translation>
    </message>
    <message>
        <source>It keeps running: the connection closes on schedule</source>
        <translation>继续运行：连接按原计划关闭</translation>
    </message>
    <message>
        <source>It starts again: 2×MSL from now</source>
        <translation>重新开始：从现在起再等 2×MSL</translation>
    </message>
    <message>
        <source>It stops: the connection closes at once</source>
        <translation>停止：连接立即关闭</translation>
    </message>
    <message>
        <source>The %1 sends %2.</source>
        <translation>%1发送 %2。</translation>
    </message>
</context>
<context>
    <name>WhatIf</name>
    <message>
        <source>the client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>the server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>%1 calls CLOSE</source>
        <translation>%1调用 CLOSE</translation>
    </message>
    <message>
        <source>%1 shuts down its sending side</source>
        <translation>%1关闭自己的发送方向（shutdown()）</translation>
    </message>
    <message>
        <source>%1 aborts (RST)</source>
        <translation>%1中止连接（RST）</translation>
    </message>
    <message>
        <source>%1 sends %2 bytes</source>
        <translation>%1发送 %2 字节</translation>
    </message>
    <message>
        <source>%1 listens</source>
        <translation>%1开始监听</translation>
    </message>
    <message>
        <source>%1 connects</source>
        <translation>%1发起连接</translation>
    </message>
    <message>
        <source>%1 calls %2</source>
        <translation>%1调用 %2</translation>
    </message>
    <message>
        <source>the network drops the next segment of %1</source>
        <translation>网络丢弃%1的下一个报文段</translation>
    </message>
    <message>
        <source>the network delays the next segment of %1 by %2 ms</source>
        <translation>网络将%1的下一个报文段延迟 %2 毫秒</translation>
    </message>
    <message>
        <source>the network duplicates the next segment of %1</source>
        <translation>网络复制%1的下一个报文段</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>With --export: draw the RFC 9293 state graph (as at --step N) instead of the sequence diagram.</source>
        <translation>与 --export 一起使用：绘制 RFC 9293 状态图（按 --step N 时的状态），而不是时序图。</translation>
    </message>
    <message>
        <source>With --export: compare mode, the diagram beside that of SCENARIO (a what-if: the same connection edited) on one time axis, the differences highlighted.</source>
        <translation>与 --export 一起使用：对比模式，把时序图与 SCENARIO（一个“假如”：编辑过的同一连接）的时序图并排画在同一时间轴上，并突出差异。</translation>
    </message>
    <message>
        <source>With --export of a capture: draw connection N (its id as the connection table and tcpviz-cli analyze number them, from 0).</source>
        <translation>导出抓包时：绘制编号为 N 的连接（与连接表和 tcpviz-cli analyze 的编号一致，从 0 开始）。</translation>
    </message>
    <message>
        <source>Show this machine's own TCP sockets (as ss shows them).</source>
        <translation>显示本机自己的 TCP 套接字（如 ss 所示）。</translation>
    </message>
    <message>
        <source>Makes TCP connection management visible: an animated sequence diagram and the RFC 9293 state graph, for scenarios and captures.</source>
        <translation>让 TCP 连接管理看得见：为场景和抓包提供动画时序图与 RFC 9293 状态图。</translation>
    </message>
    <message>
        <source>A scenario file (.yaml), a built-in scenario id, or a capture (.pcap, .pcapng). Default: the lecture.</source>
        <translation>场景文件（.yaml）、内置场景编号或抓包文件（.pcap、.pcapng）。默认：课堂演示场景。</translation>
    </message>
    <message>
        <source>Read a capture file; '-' reads standard input (tcpdump -w - | tcpviz -r -).</source>
        <translation>读取抓包文件；“-”表示从标准输入读取（tcpdump -w - | tcpviz -r -）。</translation>
    </message>
    <message>
        <source>Render the sequence diagram to OUT without opening a window, then exit: a picture (.svg, .png, .pdf) or text for slides (.mmd Mermaid, .puml PlantUML).</source>
        <translation>不打开窗口，将时序图渲染到 OUT 后退出：可以是图片（.svg、.png、.pdf），也可以是用于幻灯片的文本（.mmd Mermaid、.puml PlantUML）。</translation>
    </message>
    <message>
        <source>With --export: draw the diagram as at step N (default: the whole exchange).</source>
        <translation>与 --export 一起使用：绘制第 N 步时的图（默认：整个交互过程）。</translation>
    </message>
    <message>
        <source>Interface language for this run: en or zh_CN.</source>
        <translation>本次运行的界面语言：en 或 zh_CN。</translation>
    </message>
    <message>
        <source>Start in presentation mode (full screen).</source>
        <translation>以演示模式（全屏）启动。</translation>
    </message>
    <message>
        <source>Use the dark palette.</source>
        <translation>使用深色配色。</translation>
    </message>
    <message>
        <source>Debugging: save a picture of the window to PNG and exit.</source>
        <translation>调试：将窗口截图保存为 PNG 后退出。</translation>
    </message>
    <message>
        <source>With --export: a slide of exactly WxH pixels (points for PDF), the whole exchange fitted, e.g. 1920x1080. Otherwise the window's size.</source>
        <translation>与 --export 一起使用：绘制恰好 W×H 像素（PDF 为点）的幻灯片，整个交互过程缩放到页面内，例如 1920x1080。否则为窗口大小。</translation>
    </message>
    <message>
        <source>Debugging: with --screenshot, play this long first.</source>
        <translation>调试：与 --screenshot 一起使用，先播放这么长时间。</translation>
    </message>
    <message>
        <source>Print the time from start to the window's first paint on standard error.</source>
        <translation>在标准错误输出上打印从启动到窗口首次绘制所用的时间。</translation>
    </message>
    <message>
        <source>Debugging: exit as soon as the window is shown.</source>
        <translation>调试：窗口一显示就退出。</translation>
    </message>
    <message>
        <source>Debugging: print the time from start until the capture is analysed and its connection table shown, then exit.</source>
        <translation>调试：打印从启动到抓包分析完成、连接表显示所用的时间，然后退出。</translation>
    </message>
    <message>
        <source>Debugging: with --time-load, then select N connections spread over the table (the first and the last among them), print the time each took to show its ladder, then exit.</source>
        <translation>调试：与 --time-load 一起使用，随后依次选中表中均匀分布的 N 条连接（包括第一条和最后一条），打印每条连接的时序图显示所用的时间，然后退出。</translation>
    </message>
</context>
<context>
    <name>tcpviz</name>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1：无法写入：%2</translation>
    </message>
    <message>
        <source>%1: write failed: %2</source>
        <translation>%1：写入失败：%2</translation>
    </message>
    <message>
        <source>TCP exchange drawn by tcpviz</source>
        <translation>由 tcpviz 绘制的 TCP 交互过程</translation>
    </message>
    <message>
        <source>%1: cannot write the SVG file</source>
        <translation>%1：无法写入 SVG 文件</translation>
    </message>
    <message>
        <source>%1: the picture is too large (%2 x %3)</source>
        <translation>%1：图片太大（%2 × %3）</translation>
    </message>
    <message>
        <source>%1: cannot write the PNG file</source>
        <translation>%1：无法写入 PNG 文件</translation>
    </message>
    <message>
        <source>%1: cannot write the PDF file</source>
        <translation>%1：无法写入 PDF 文件</translation>
    </message>
    <message>
        <source>%1: unknown format "%2" (use .svg, .png, .pdf, .mmd or .puml)</source>
        <translation>%1：未知格式“%2”（请使用 .svg、.png、.pdf、.mmd 或 .puml）</translation>
    </message>
    <message>
        <source>%1: nothing was written</source>
        <translation>%1：没有写入任何内容</translation>
    </message>
    <message>
        <source>LISTEN (passive open)</source>
        <translation>LISTEN（被动打开）</translation>
    </message>
    <message>
        <source>CONNECT (active open)</source>
        <translation>CONNECT（主动打开）</translation>
    </message>
    <message>
        <source>SEND</source>
        <translation>SEND</translation>
    </message>
    <message>
        <source>CLOSE</source>
        <translation>CLOSE</translation>
    </message>
    <message>
        <source>SHUTDOWN (half-close)</source>
        <translation>SHUTDOWN（半关闭）</translation>
    </message>
    <message>
        <source>RECEIVE (the application reads)</source>
        <translation>RECEIVE（应用读取数据）</translation>
    </message>
    <message>
        <source>SHUTDOWN (read side)</source>
        <translation>SHUTDOWN（关闭读方向）</translation>
    </message>
    <message>
        <source>SHUTDOWN (both directions)</source>
        <translation>SHUTDOWN（关闭两个方向）</translation>
    </message>
    <message>
        <source>CLOSE with SO_LINGER 0</source>
        <translation>CLOSE（SO_LINGER 为 0）</translation>
    </message>
    <message>
        <source>ACCEPT</source>
        <translation>ACCEPT（接受连接）</translation>
    </message>
    <message>
        <source>CLOSE the listening socket</source>
        <translation>CLOSE 监听套接字</translation>
    </message>
    <message>
        <source>ABORT</source>
        <translation>ABORT</translation>
    </message>
    <message>
        <source>retransmission timeout</source>
        <translation>重传超时</translation>
    </message>
    <message>
        <source>TIME-WAIT 2MSL timeout</source>
        <translation>TIME-WAIT 2MSL 超时</translation>
    </message>
    <message>
        <source>user timeout</source>
        <translation>用户超时</translation>
    </message>
    <message>
        <source>delayed ACK timer</source>
        <translation>延迟确认定时器</translation>
    </message>
    <message>
        <source>FIN-WAIT-2 timeout</source>
        <translation>FIN-WAIT-2 超时</translation>
    </message>
    <message>
        <source>The %1 application calls %2</source>
        <translation>%1应用程序调用 %2</translation>
    </message>
    <message>
        <source> with %1 bytes</source>
        <translation>，携带 %1 字节</translation>
    </message>
    <message>
        <source>: refused (%1)</source>
        <translation>：被拒绝（%1）</translation>
    </message>
    <message>
        <source>A segment from outside the connection is injected: %1</source>
        <translation>从连接之外注入一个报文段：%1</translation>
    </message>
    <message>
        <source>The %1 sends %2</source>
        <translation>%1发送 %2</translation>
    </message>
    <message>
        <source> (retransmission)</source>
        <translation>（重传）</translation>
    </message>
    <message>
        <source> (duplicate made by the network)</source>
        <translation>（网络产生的副本）</translation>
    </message>
    <message>
        <source> (recorded again by the capture: a copy of packet %1)</source>
        <translation>（抓包再次记录：第 %1 号分组的副本）</translation>
    </message>
    <message>
        <source>The %1 receives %2.</source>
        <translation>%1收到 %2。</translation>
    </message>
    <message>
        <source>The network loses the segment %1 sent by the %2.</source>
        <translation>网络丢失了%2发送的报文段 %1。</translation>
    </message>
    <message>
        <source>The %1's %2 fires.</source>
        <translation>%1的%2到期。</translation>
    </message>
    <message>
        <source>The %1 goes from %2 to %3 (%4).</source>
        <translation>%1从 %2 转到 %3（%4）。</translation>
    </message>
    <message>
        <source>The %1 application's %2() returns %3.</source>
        <translation>%1应用的 %2() 返回 %3。</translation>
    </message>
</context>
<context>
    <name>tcpviz::EventNote</name>
    <message>
        <source>lost in the network</source>
        <translation>在网络中丢失</translation>
    </message>
    <message>
        <source>duplicated by the network</source>
        <translation>网络复制出的副本</translation>
    </message>
    <message>
        <source>injected</source>
        <translation>从连接外部注入</translation>
    </message>
    <message>
        <source>ABORT (SO_LINGER 0)</source>
        <translation>应用中止连接（ABORT，SO_LINGER 为 l_onoff=1、l_linger=0）</translation>
    </message>
    <message>
        <source>close with %1 unread bytes</source>
        <translation>关闭时仍有 %1 字节未读</translation>
    </message>
    <message>
        <source>active OPEN on a listening connection</source>
        <translation>在监听中的连接上主动打开</translation>
    </message>
    <message>
        <source>data queued until ESTABLISHED</source>
        <translation>数据先排队，进入 ESTABLISHED 后再发送</translation>
    </message>
    <message>
        <source>CLOSE issued before ESTABLISHED</source>
        <translation>在进入 ESTABLISHED 之前调用了 CLOSE</translation>
    </message>
    <message>
        <source>connection does not exist</source>
        <translation>连接不存在</translation>
    </message>
    <message>
        <source>connection already exists</source>
        <translation>连接已存在</translation>
    </message>
    <message>
        <source>connection closing</source>
        <translation>连接正在关闭</translation>
    </message>
    <message>
        <source>connection not accepted yet</source>
        <translation>连接尚未被 accept()</translation>
    </message>
    <message>
        <source>no listening socket</source>
        <translation>没有监听套接字</translation>
    </message>
    <message>
        <source>window update: %1 bytes read</source>
        <translation>窗口更新：已读取 %1 字节</translation>
    </message>
    <message>
        <source>listener closed: the half-open connection is dropped</source>
        <translation>监听套接字已关闭：半连接被丢弃</translation>
    </message>
    <message>
        <source>listener closed before accept(): reset</source>
        <translation>监听套接字在 accept() 之前关闭：复位</translation>
    </message>
    <message>
        <source>scripted endpoint: its segments come only from inject steps</source>
        <translation>脚本端点：它的报文段只来自场景的注入（inject）步骤</translation>
    </message>
    <message>
        <source>retransmission %1, RTO now %2 ms</source>
        <translation>第 %1 次重传，RTO 现为 %2 ms</translation>
    </message>
    <message>
        <source>retransmission limit reached</source>
        <translation>已达到重传次数上限</translation>
    </message>
    <message>
        <source>connection timed out</source>
        <translation>连接超时（ETIMEDOUT）</translation>
    </message>
    <message>
        <source>connection aborted due to user timeout</source>
        <translation>用户超时，连接被中止</translation>
    </message>
    <message>
        <source>SYN,ACK retries exhausted</source>
        <translation>SYN+ACK 重传次数已用完</translation>
    </message>
    <message>
        <source>tcp_fin_timeout: orphan dropped</source>
        <translation>tcp_fin_timeout 到期：丢弃孤儿连接</translation>
    </message>
    <message>
        <source>delayed ACK</source>
        <translation>延迟确认</translation>
    </message>
    <message>
        <source>ACK delayed</source>
        <translation>ACK 延迟发送</translation>
    </message>
    <message>
        <source>no connection: reset</source>
        <translation>连接不存在：回复 RST</translation>
    </message>
    <message>
        <source>ACK in LISTEN: reset</source>
        <translation>在 LISTEN 状态收到 ACK：回复 RST</translation>
    </message>
    <message>
        <source>unacceptable ACK in SYN-SENT: reset</source>
        <translation>在 SYN-SENT 状态收到不可接受的 ACK：回复 RST</translation>
    </message>
    <message>
        <source>unacceptable ACK: reset</source>
        <translation>不可接受的 ACK：回复 RST</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>连接被拒绝（ECONNREFUSED）</translation>
    </message>
    <message>
        <source>connection reset</source>
        <translation>连接被重置（ECONNRESET）</translation>
    </message>
    <message>
        <source>retransmitted SYN: repeat SYN,ACK</source>
        <translation>收到重传的 SYN：再次发送 SYN+ACK</translation>
    </message>
    <message>
        <source>SYN in window: back to LISTEN</source>
        <translation>窗口内收到 SYN：回到 LISTEN</translation>
    </message>
    <message>
        <source>challenge ACK (RFC 5961)</source>
        <translation>挑战 ACK（RFC 5961）</translation>
    </message>
    <message>
        <source>RST ends TIME-WAIT (tcp_rfc1337 = 0)</source>
        <translation>RST 提前结束了 TIME-WAIT（tcp_rfc1337 = 0）</translation>
    </message>
    <message>
        <source>an ACK at RCV.NXT restarts TIME-WAIT</source>
        <translation>RCV.NXT 处的 ACK 使 TIME-WAIT 重新计时</translation>
    </message>
    <message>
        <source>restarts TIME-WAIT</source>
        <translation>TIME-WAIT 重新计时</translation>
    </message>
    <message>
        <source>TIME-WAIT answers with its ACK</source>
        <translation>TIME-WAIT 以它的 ACK 作答</translation>
    </message>
    <message>
        <source>RST in the window ends the orphan</source>
        <translation>窗口内的 RST 结束了孤儿连接</translation>
    </message>
    <message>
        <source>challenge ACK for SYN (RFC 5961)</source>
        <translation>针对 SYN 的挑战 ACK（RFC 5961）</translation>
    </message>
    <message>
        <source>segment outside the window: re-ACK</source>
        <translation>报文段在窗口之外：重新确认</translation>
    </message>
    <message>
        <source>ACK of unsent data: re-ACK</source>
        <translation>确认了尚未发送的数据：重新确认</translation>
    </message>
    <message>
        <source>out of order: duplicate ACK</source>
        <translation>乱序到达：发送重复 ACK</translation>
    </message>
    <message>
        <source>data after close: reset</source>
        <translation>关闭后又收到数据：回复 RST</translation>
    </message>
    <message>
        <source>new SYN above RCV.NXT: TIME-WAIT reopened</source>
        <translation>新的 SYN 高于 RCV.NXT：TIME-WAIT 重新打开为新连接</translation>
    </message>
    <message>
        <source>SYN after close in FIN-WAIT-2: reset</source>
        <translation>关闭后在 FIN-WAIT-2 收到 SYN：回复 RST</translation>
    </message>
    <message>
        <source>re-ACK retransmitted FIN</source>
        <translation>再次确认重传的 FIN</translation>
    </message>
    <message>
        <source>retransmitted FIN restarts 2MSL</source>
        <translation>重传的 FIN 让 2MSL 计时重新开始</translation>
    </message>
    <message>
        <source>SYN already received: immediate ACK</source>
        <translation>SYN 已经收到过：立即回 ACK</translation>
    </message>
    <message>
        <source>data on the SYN not acknowledged: sent again</source>
        <translation>SYN 携带的数据未被确认：再次发送</translation>
    </message>
    <message>
        <source>RST outside the receiver's window: ignored</source>
        <translation>RST 不在接收窗口内：忽略</translation>
    </message>
    <message>
        <source>copy of packet %1 recorded by the capture</source>
        <translation>抓包重复记录的第 %1 号分组的副本</translation>
    </message>
    <message>
        <source>SYN queue full and tcp_syncookies = 0: SYN dropped</source>
        <translation>SYN 队列（半连接队列）已满且 tcp_syncookies = 0：丢弃 SYN</translation>
    </message>
    <message>
        <source>SYN queue full: answered with a SYN cookie, no state kept</source>
        <translation>SYN 队列（半连接队列）已满：以 SYN cookie 应答，不保存任何状态</translation>
    </message>
    <message>
        <source>tcp_syncookies = 2: answered with a SYN cookie, no state kept</source>
        <translation>tcp_syncookies = 2：以 SYN cookie 应答，不保存任何状态</translation>
    </message>
    <message>
        <source>accept queue full: SYN dropped</source>
        <translation>全连接队列已满：丢弃 SYN</translation>
    </message>
    <message>
        <source>tcp_syncookies = 0 and the SYN queue past 3/4 of tcp_max_syn_backlog: SYN dropped</source>
        <translation>tcp_syncookies = 0 且 SYN 队列已超过 tcp_max_syn_backlog 的 3/4：丢弃 SYN</translation>
    </message>
    <message>
        <source>SYN cookie: the ISN encodes the connection; nothing is kept, nothing retransmitted</source>
        <translation>SYN cookie：ISN 编码了这条连接；什么都不保存，也不重传</translation>
    </message>
    <message>
        <source>SYN cookie checked: rebuilt from the ACK</source>
        <translation>SYN cookie 校验通过：根据 ACK 重建连接</translation>
    </message>
    <message>
        <source>valid SYN cookie, but the accept queue is full: ACK dropped</source>
        <translation>SYN cookie 有效，但全连接队列已满：丢弃 ACK</translation>
    </message>
    <message>
        <source>accept queue full (tcp_abort_on_overflow = 0): ACK ignored, the request stays in SYN-RECEIVED</source>
        <translation>全连接队列已满（tcp_abort_on_overflow = 0）：忽略 ACK，这条请求仍停在 SYN-RECEIVED</translation>
    </message>
    <message>
        <source>accept queue full (tcp_abort_on_overflow = 1): reset</source>
        <translation>全连接队列已满（tcp_abort_on_overflow = 1）：回复 RST</translation>
    </message>
    <message>
        <source>request dropped: accept queue full</source>
        <translation>全连接队列已满：丢弃这条请求</translation>
    </message>
    <message>
        <source>SYN from a forged source address</source>
        <translation>来自伪造源地址的 SYN</translation>
    </message>
    <message>
        <source>nobody at the forged address answers</source>
        <translation>伪造的地址上没有人应答</translation>
    </message>
    <message>
        <source>tcp_tw_reuse: port %1 taken by a new connection</source>
        <translation>tcp_tw_reuse：端口 %1 被一条新连接拿走</translation>
    </message>
    <message>
        <source>EADDRINUSE: port %1 is held by %2 connection(s) in TIME-WAIT and SO_REUSEADDR is not set</source>
        <translation>EADDRINUSE：端口 %1 被 %2 条处于 TIME-WAIT 的连接占用，且没有设置 SO_REUSEADDR</translation>
    </message>
    <message>
        <source>what-if calls are not available in a multi-connection scenario</source>
        <translation>多连接场景中不能做“假如”实验的调用</translation>
    </message>
    <message>
        <source>EADDRNOTAVAIL: no local port free in ip_local_port_range %1-%2 towards %3.%4.%5.%6:%7</source>
        <translation>EADDRNOTAVAIL：ip_local_port_range %1-%2 中没有空闲的本地端口可用于连接 %3.%4.%5.%6:%7</translation>
    </message>
</context>
<context>
    <name>tcpviz::NarrationView</name>
    <message>
        <source>Open a scenario or a capture to begin.</source>
        <translation>打开一个场景或抓包文件即可开始。</translation>
    </message>
    <message>
        <source>Before the first event: client %1, server %2. Step forward to begin.</source>
        <translation>第一个事件之前：客户端处于 %1，服务器处于 %2。前进一步即可开始。</translation>
    </message>
    <message>
        <source>Step %1 of %2, at %3</source>
        <translation>第 %1 步，共 %2 步，时间 %3</translation>
    </message>
    <message>
        <source>Arc of the state diagram: %1 → %2, “%3”.</source>
        <translation>状态图中的弧：%1 → %2，“%3”。</translation>
    </message>
</context>
<context>
    <name>tcpviz::SegmentDetailsView</name>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>%1 (relative), %2 (raw)</source>
        <translation>%1（相对），%2（原始）</translation>
    </message>
    <message>
        <source>Segment %1 → %2</source>
        <translation>报文段 %1 → %2</translation>
    </message>
    <message>
        <source>sent at %1</source>
        <translation>发送于 %1</translation>
    </message>
    <message>
        <source>received at %1</source>
        <translation>接收于 %1</translation>
    </message>
    <message>
        <source>lost at %1</source>
        <translation>丢失于 %1</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>#%1, %2</source>
        <translation>#%1，%2</translation>
    </message>
    <message>
        <source>Capture packet</source>
        <translation>抓包帧号</translation>
    </message>
    <message>
        <source>Source port</source>
        <translation>源端口</translation>
    </message>
    <message>
        <source>Destination port</source>
        <translation>目的端口</translation>
    </message>
    <message>
        <source>Sequence number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Acknowledgment number</source>
        <translation>确认号</translation>
    </message>
    <message>
        <source>(not valid: ACK not set)</source>
        <translation>（无效：未设置 ACK）</translation>
    </message>
    <message>
        <source>Next sequence number</source>
        <translation>下一个序列号</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>标志位</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>已设置</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Payload length</source>
        <translation>载荷长度</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation><numerusform>%n 字节</numerusform></translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>Maximum segment size</source>
        <translation>最大报文段长度（MSS）</translation>
    </message>
    <message>
        <source>Window scale</source>
        <translation>窗口缩放</translation>
    </message>
    <message>
        <source>%1 (multiply by %2)</source>
        <translation>%1（乘以 %2）</translation>
    </message>
    <message>
        <source>SACK permitted</source>
        <translation>允许 SACK</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>SACK block</source>
        <translation>SACK 块</translation>
    </message>
    <message>
        <source>Timestamps</source>
        <translation>时间戳</translation>
    </message>
    <message>
        <source>TSval %1, TSecr %2</source>
        <translation>TSval %1，TSecr %2</translation>
    </message>
    <message>
        <source>retransmission</source>
        <translation>重传</translation>
    </message>
    <message>
        <source>duplicate made by the network</source>
        <translation>网络产生的副本</translation>
    </message>
    <message>
        <source>injected from outside the connection</source>
        <translation>从连接之外注入</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>丢失</translation>
    </message>
    <message>
        <source>arrived out of order</source>
        <translation>乱序到达</translation>
    </message>
    <message>
        <source>Flight time</source>
        <translation>传输时间</translation>
    </message>
    <message>
        <source>Markers</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>No segment yet</source>
        <translation>尚无报文段</translation>
    </message>
    <message>
        <source>%1 TCB</source>
        <translation>%1 TCB</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Retransmission timer</source>
        <translation>重传定时器</translation>
    </message>
    <message>
        <source>fires at %1</source>
        <translation>于 %1 到期</translation>
    </message>
    <message>
        <source>2MSL timer</source>
        <translation>2MSL 定时器</translation>
    </message>
    <message>
        <source>Captured at</source>
        <translation>抓包时刻</translation>
    </message>
    <message>
        <source>Estimated sending</source>
        <translation>估计发送时刻</translation>
    </message>
    <message>
        <source>unknown (no delay estimate)</source>
        <translation>未知（无法估计时延）</translation>
    </message>
    <message>
        <source>Estimated arrival</source>
        <translation>估计到达时刻</translation>
    </message>
</context>
<context>
    <name>tcpviz::SequenceDiagramRenderer</name>
    <message>
        <source>RTO</source>
        <translation>RTO</translation>
    </message>
    <message>
        <source>2MSL</source>
        <translation>2MSL</translation>
    </message>
    <message>
        <source>FIN-WAIT-2 timer</source>
        <translation>FIN-WAIT-2 定时器</translation>
    </message>
    <message>
        <source>user timeout</source>
        <translation>用户超时</translation>
    </message>
    <message>
        <source>delayed ACK</source>
        <translation>延迟确认</translation>
    </message>
    <message>
        <source>retransmission</source>
        <translation>重传</translation>
    </message>
    <message>
        <source>duplicate</source>
        <translation>副本</translation>
    </message>
    <message>
        <source>capture copy</source>
        <translation>抓包副本</translation>
    </message>
    <message>
        <source>injected</source>
        <translation>注入</translation>
    </message>
    <message>
        <source>out of order</source>
        <translation>乱序</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>丢失</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Capture point</source>
        <translation>抓包点</translation>
    </message>
    <message>
        <source>no delay estimate</source>
        <translation>无法估计时延</translation>
    </message>
    <message>
        <source>%1, no delay estimate</source>
        <translation>%1，无法估计时延</translation>
    </message>
</context>
<context>
    <name>tcpviz::StateGraphView</name>
    <message>
        <source>No connection: no TCB exists.</source>
        <translation>没有连接：不存在 TCB。</translation>
    </message>
    <message>
        <source>Waiting for a connection request (SYN) from any remote endpoint.</source>
        <translation>等待任意远端发来的连接请求（SYN）。</translation>
    </message>
    <message>
        <source>SYN sent; waiting for a matching SYN,ACK.</source>
        <translation>已发送 SYN；等待对应的 SYN+ACK。</translation>
    </message>
    <message>
        <source>SYN received and SYN,ACK sent; waiting for the ACK of our SYN.</source>
        <translation>已收到 SYN 并发送 SYN+ACK；等待对方确认我方的 SYN。</translation>
    </message>
    <message>
        <source>The connection is open: data flows both ways.</source>
        <translation>连接已建立：数据可以双向流动。</translation>
    </message>
    <message>
        <source>Our FIN is sent; waiting for its ACK or for the peer's FIN.</source>
        <translation>我方已发送 FIN；等待它的 ACK 或对方的 FIN。</translation>
    </message>
    <message>
        <source>Our FIN is acknowledged; waiting for the peer's FIN.</source>
        <translation>我方的 FIN 已被确认；等待对方的 FIN。</translation>
    </message>
    <message>
        <source>The peer has closed its side; waiting for our application to close.</source>
        <translation>对方已关闭它的一侧；等待我方应用程序关闭。</translation>
    </message>
    <message>
        <source>Both sides closed at once; waiting for the ACK of our FIN.</source>
        <translation>双方同时关闭；等待对方确认我方的 FIN。</translation>
    </message>
    <message>
        <source>Our FIN (after the peer's) is sent; waiting for its ACK.</source>
        <translation>我方的 FIN（在对方之后）已发送；等待它的 ACK。</translation>
    </message>
    <message>
        <source>Waiting 2×MSL so that old duplicates die out and the last ACK can be resent.</source>
        <translation>等待 2×MSL，让网络中的旧报文消失，并在需要时重发最后一个 ACK。</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) in this state</source>
        <translation><numerusform>%n 个连接处于此状态</numerusform></translation>
    </message>
    <message>
        <source> (RFC 9293 Figure 5)</source>
        <translation>（RFC 9293 图 5）</translation>
    </message>
    <message>
        <source> (RFC 9293 section 3.10)</source>
        <translation>（RFC 9293 第 3.10 节）</translation>
    </message>
    <message>
        <source>C</source>
        <translation>客</translation>
    </message>
    <message>
        <source>S</source>
        <translation>服</translation>
    </message>
</context>
<context>
    <name>tcpviz::StatesChartRenderer</name>
    <message>
        <source>Endpoints</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>Client ends</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Server ends</source>
        <translation>服务器端</translation>
    </message>
</context>
<context>
    <name>tcpviz::StatesChartView</name>
    <message>
        <source>Client | server</source>
        <translation>客户端 | 服务器</translation>
    </message>
    <message>
        <source>Client ends and server ends as two charts; off: summed</source>
        <translation>客户端和服务器端分成两张图；关闭时合计为一张</translation>
    </message>
    <message>
        <source>At %1: endpoints as &lt;tt&gt;ss -tan&lt;/tt&gt; would list them</source>
        <translation>%1 时：&lt;tt&gt;ss -tan&lt;/tt&gt; 会列出的端点</translation>
    </message>
    <message>
        <source>client ends</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>server ends</source>
        <translation>服务器端</translation>
    </message>
    <message>
        <source>total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Besides: %1 client and %2 server ends CLOSED (no socket, not listed).</source>
        <translation>此外：%1 个客户端和 %2 个服务器端处于 CLOSED（没有套接字，不会列出）。</translation>
    </message>
    <message>
        <source>Click to list the connections in %1 at this time.</source>
        <translation>单击即可列出此时处于 %1 的连接。</translation>
    </message>
</context>
<context>
    <name>tcpviz::Views</name>
    <message>
        <source>client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>server</source>
        <translation>服务器</translation>
    </message>
</context>
<context>
    <name>tcpviz::TraceCompareView</name>
    <message>
        <source>Only in %1 — segments: %2, states: %3</source>
        <translation>仅在%1中 — 报文段：%2，状态：%3</translation>
    </message>
    <message>
        <source>Only in the what-if — segments: %1, states: %2</source>
        <translation>仅在假如分支中 — 报文段：%1，状态：%2</translation>
    </message>
    <message>
        <source>Changed — lost on one side only: %1, states at another time: %2</source>
        <translation>有变化 — 仅一侧丢失：%1，到达时间不同的状态：%2</translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::CaptureController</name>
    <message>
        <source>No connection %1 in this capture.</source>
        <translation>此抓包中没有连接 %1。</translation>
    </message>
    <message>
        <source>Opening capture</source>
        <translation>正在打开抓包文件</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>standard input</source>
        <translation>标准输入</translation>
    </message>
    <message numerus="yes">
        <source>Reading capture: %n TCP packet(s)…</source>
        <translation><numerusform>正在读取抓包：%n 个 TCP 数据包…</numerusform></translation>
    </message>
    <message>
        <source>%1: no TCP connection in this capture (%2 packets read)</source>
        <translation>%1：该抓包中没有 TCP 连接（已读取 %2 个数据包）</translation>
    </message>
    <message>
        <source>Nothing captured to save.</source>
        <translation>没有可保存的抓包数据。</translation>
    </message>
    <message>
        <source>Capturing on %1 is not permitted.</source>
        <translation>没有在 %1 上抓包的权限。</translation>
    </message>
    <message>
        <source>tcpviz does not need to run as root, and should not: grant the capability to the program, or let tcpdump capture and read its output with tcpviz -r -.</source>
        <translation>tcpviz 不需要、也不应该以 root 身份运行：请为程序授予该能力，或者让 tcpdump 抓包，再用 tcpviz -r - 读取它的输出。</translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::CapturePanel</name>
    <message>
        <source>Open connection #%1 as a scenario</source>
        <translation>将连接 #%1 作为场景打开</translation>
    </message>
    <message>
        <source>Write the scenario that replays this connection in the simulator, and play it like a lesson: edit it, ask what if</source>
        <translation>生成在模拟器中重放此连接的场景，像课程一样播放：可以编辑，可以问“假如”</translation>
    </message>
    <message numerus="yes">
        <source>%n packet problem(s)</source>
        <translation><numerusform>%n 个数据包有问题</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>… and %n more, counted but not listed</source>
        <translation><numerusform>……另有 %n 个，已计数但未列出</numerusform></translation>
    </message>
    <message>
        <source>Packet</source>
        <translation>数据包</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Packets that could not be decoded or were cut short, by packet number; the rest of the capture was analysed</source>
        <translation>无法解码或被截断的数据包（按包号列出）；抓包的其余部分已照常分析</translation>
    </message>
    <message>
        <source>Filter by address or port, e.g. 10.0.0.1 or :443</source>
        <translation>按地址或端口筛选，例如 10.0.0.1 或 :443</translation>
    </message>
    <message>
        <source>Only anomalies</source>
        <translation>仅显示异常</translation>
    </message>
    <message>
        <source>Retransmissions, resets, connections that started before the capture</source>
        <translation>重传、复位，以及在抓包开始前就已建立的连接</translation>
    </message>
    <message>
        <source>All connections (heat map)</source>
        <translation>全部连接（热力图）</translation>
    </message>
    <message>
        <source>Show how many endpoints are in each state over time</source>
        <translation>显示各时刻处于每个状态的端点数量</translation>
    </message>
    <message>
        <source>Play overview</source>
        <translation>播放总览</translation>
    </message>
    <message>
        <source>Heat map at %1</source>
        <translation>%1 时的热力图</translation>
    </message>
    <message>
        <source>Connection #%1</source>
        <translation>连接 #%1</translation>
    </message>
    <message>
        <source>Connection #%1 (evicted: finished, no longer in the table)</source>
        <translation>连接 #%1（已移出：连接已结束，不再列在表中）</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s)</source>
        <translation><numerusform>%n 个连接</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s), %1 finished ones evicted</source>
        <translation><numerusform>%n 个连接，另有 %1 个已结束的连接已移出</numerusform></translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>Only connections with an end in this state</source>
        <translation>只显示有一端处于此状态的连接</translation>
    </message>
    <message>
        <source>as final state</source>
        <translation>作为最终状态</translation>
    </message>
    <message>
        <source>ever in state</source>
        <translation>曾处于该状态</translation>
    </message>
    <message>
        <source>in state at the cursor time</source>
        <translation>光标时刻处于该状态</translation>
    </message>
    <message>
        <source>Which state counts: the one each end ended in, any it passed through, or the one it was in at the heat map's time</source>
        <translation>按哪个状态筛选：每一端最终所处的状态、经过的任一状态，或热力图所示时刻所处的状态</translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::ConnectionFilterModel</name>
    <message>
        <source>No connection with anomalies has a client or server matching “%1”.</source>
        <translation>没有哪个有异常的连接的客户端或服务器匹配“%1”。</translation>
    </message>
    <message>
        <source>No client or server address matches “%1”.</source>
        <translation>没有客户端或服务器地址匹配“%1”。</translation>
    </message>
    <message>
        <source>No connection has anomalies.</source>
        <translation>没有连接出现异常。</translation>
    </message>
    <message numerus="yes">
        <source>No connection ended in %1, but %n passed through it: choose “ever in state” to list them.</source>
        <translation><numerusform>没有连接以 %1 结束，但有 %n 个连接经过了它：选择“曾处于该状态”即可列出它们。</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>No connection was in %1 at %2, but %n passed through it at other times: move the cursor or choose “ever in state”.</source>
        <translation><numerusform>在 %2 时没有连接处于 %1，但有 %n 个连接在其他时刻经过了它：移动光标，或选择“曾处于该状态”。</numerusform></translation>
    </message>
    <message>
        <source>No connection was ever in %1 in this capture.</source>
        <translation>此抓包中没有连接曾处于 %1。</translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::ConnectionTableModel</name>
    <message>
        <source>ICMP</source>
        <translation>ICMP 差错</translation>
    </message>
    <message>
        <source>ICMP errors (unreachable, too big, time exceeded) quoting a packet of this connection</source>
        <translation>引用本连接某个报文的 ICMP 差错报文（不可达、报文过大、超时）</translation>
    </message>
    <message>
        <source>mid-stream</source>
        <translation>中途开始</translation>
    </message>
    <message>
        <source>RST</source>
        <translation>RST</translation>
    </message>
    <message numerus="yes">
        <source>%n retransmission(s)</source>
        <translation><numerusform>%n 次重传</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n capture copy(ies)</source>
        <translation><numerusform>%n 个抓包副本</numerusform></translation>
    </message>
    <message>
        <source>Zeek conn.log history; Wireshark tcp.completeness = %1</source>
        <translation>Zeek conn.log 的 history 字段；Wireshark tcp.completeness = %1</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>数据包</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>持续时间</translation>
    </message>
    <message>
        <source>Client state</source>
        <translation>客户端状态</translation>
    </message>
    <message>
        <source>Server state</source>
        <translation>服务器状态</translation>
    </message>
    <message>
        <source>Retrans.</source>
        <translation>重传</translation>
    </message>
    <message>
        <source>Anomalies</source>
        <translation>异常</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Mid-stream: the capture starts after the connection's handshake.</source>
        <translation>中途开始：抓包开始于该连接的握手之后。</translation>
    </message>
    <message numerus="yes">
        <source>%n RST segment(s): packets %1</source>
        <translation><numerusform>%n 个 RST 报文段：分组 %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n retransmission(s): packets %1</source>
        <translation><numerusform>%n 次重传：分组 %1</numerusform></translation>
    </message>
    <message>
        <source>start not captured</source>
        <translation>未抓到开始</translation>
    </message>
    <message>
        <source>client → server only</source>
        <translation>只有客户端 → 服务器</translation>
    </message>
    <message>
        <source>server → client only</source>
        <translation>只有服务器 → 客户端</translation>
    </message>
    <message>
        <source>The capture begins after the handshake: both ends are assumed ESTABLISHED at its first packet, not seen so.</source>
        <translation>抓包开始于握手之后：两端在第一个分组时被假定为 ESTABLISHED，并非抓包所见。</translation>
    </message>
    <message>
        <source>Only one direction was captured: the other side's states are inferred from these packets alone.</source>
        <translation>只抓到了一个方向：另一方的状态仅由这些分组推断。</translation>
    </message>
    <message>
        <source>Captured</source>
        <translation>抓包所见</translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::HostSocketsPanel</name>
    <message>
        <source>Port, e.g. 8080</source>
        <translation>端口，例如 8080</translation>
    </message>
    <message>
        <source>Show on the state graph</source>
        <translation>在状态图上显示</translation>
    </message>
    <message>
        <source>Light the state graph with how many sockets are in each state</source>
        <translation>在状态图上标出处于各状态的套接字数量</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>本地</translation>
    </message>
    <message>
        <source>Remote</source>
        <translation>远端</translation>
    </message>
    <message>
        <source>Timer</source>
        <translation>计时器</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>No TCP socket matches.</source>
        <translation>没有匹配的 TCP 套接字。</translation>
    </message>
    <message>
        <source>Cannot read this machine's sockets: %1</source>
        <translation>无法读取本机的套接字：%1</translation>
    </message>
    <message>
        <source>Processes of other users are shown only to root.</source>
        <translation>其他用户的进程只有 root 才能看到。</translation>
    </message>
    <message numerus="yes">
        <source>%n socket(s) more than the table shows: filter by port or state.</source>
        <translation><numerusform>另有 %n 个套接字未在表中列出：请按端口或状态筛选。</numerusform></translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::LiveCaptureDialog</name>
    <message>
        <source>Start live capture</source>
        <translation>开始实时抓包</translation>
    </message>
    <message>
        <source>BPF filter, e.g. tcp port 80</source>
        <translation>BPF 过滤表达式，例如 tcp port 80</translation>
    </message>
    <message>
        <source>Interface:</source>
        <translation>网络接口：</translation>
    </message>
    <message>
        <source>Filter:</source>
        <translation>过滤器：</translation>
    </message>
    <message>
        <source>Count ICMP errors about each connection</source>
        <translation>统计每条连接的 ICMP 差错报文</translation>
    </message>
    <message>
        <source>ICMP and ICMPv6 errors quoting TCP are let through the filter and counted in the ICMP column of their connection.</source>
        <translation>引用 TCP 报文的 ICMP 和 ICMPv6 差错报文会通过过滤器，并计入所属连接的 ICMP 列。</translation>
    </message>
    <message>
        <source>Validate TCP checksums</source>
        <translation>校验 TCP 校验和</translation>
    </message>
    <message>
        <source>A segment with a wrong checksum is not followed and marks its connection's history with C. Off by default: what this computer sends (all of loopback) is captured before its checksum is filled in.</source>
        <translation>校验和错误的报文段不参与状态推断，只在所属连接的 history 字段中记为 C。默认关闭：本机发出的报文（回环接口上的全部报文）在填入校验和之前就已被抓取。</translation>
    </message>
    <message>
        <source>Capturing needs the cap_net_raw and cap_net_admin capabilities, not root: sudo setcap cap_net_raw,cap_net_admin=eip on the tcpviz program.</source>
        <translation>抓包需要 cap_net_raw 和 cap_net_admin 能力，而不需要 root 权限：对 tcpviz 程序执行 sudo setcap cap_net_raw,cap_net_admin=eip。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::MainWindow</name>
    <message>
        <source>Reading connection #%1…</source>
        <translation>正在读取连接 #%1…</translation>
    </message>
    <message>
        <source>Making connection #%1 a scenario: reading its packets and simulating them…</source>
        <translation>正在把连接 #%1 做成场景：读取它的数据包并进行模拟…</translation>
    </message>
    <message>
        <source>&amp;Back to the capture</source>
        <translation>回到抓包(&amp;B)</translation>
    </message>
    <message>
        <source>Open the capture this scenario was made from, with its connection selected</source>
        <translation>重新打开生成此场景的抓包，并选中这条连接</translation>
    </message>
    <message>
        <source>Scenario &amp;text…</source>
        <translation>场景文本(&amp;T)…</translation>
    </message>
    <message>
        <source>Read and edit the open scenario's YAML, and play it again</source>
        <translation>查看并编辑当前场景的 YAML，再重新播放</translation>
    </message>
    <message>
        <source>Edited replay of %1, connection #%2</source>
        <translation>%1 连接 #%2 的重放（已编辑）</translation>
    </message>
    <message>
        <source>Scenario text</source>
        <translation>场景文本</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Scenario text — %1</source>
        <translation>场景文本 — %1</translation>
    </message>
    <message>
        <source>Save and &amp;reload</source>
        <translation>保存并重新载入(&amp;R)</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Open connection as &amp;scenario</source>
        <translation>将连接作为场景打开(&amp;S)</translation>
    </message>
    <message>
        <source>Write the scenario that replays the selected connection and play it like a lesson</source>
        <translation>生成重放所选连接的场景，像课程一样播放</translation>
    </message>
    <message>
        <source>Save scenario as &amp;YAML…</source>
        <translation>将场景另存为 YAML(&amp;Y)…</translation>
    </message>
    <message>
        <source>&amp;Compare with the original</source>
        <translation>与原过程对比(&amp;C)</translation>
    </message>
    <message>
        <source>The original ladder and the what-if branch side by side on one time axis, differences highlighted (Ctrl+D)</source>
        <translation>原时序图与假如分支并排画在同一时间轴上，差异高亮（Ctrl+D）</translation>
    </message>
    <message>
        <source>Open as scenario</source>
        <translation>作为场景打开</translation>
    </message>
    <message>
        <source>Connection #%1 cannot be opened as a scenario: %2</source>
        <translation>连接 #%1 无法作为场景打开：%2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Connection #%1 of %2 as a scenario (profile %3): its simulation reproduces the capture.</source>
        <translation>%2 的连接 #%1 已作为场景打开（配置 %3）：模拟结果与抓包完全一致。</translation>
    </message>
    <message>
        <source>Connection #%1 of %2 as a scenario (profile %3), not exact: %4</source>
        <translation>%2 的连接 #%1 已作为场景打开（配置 %3），与抓包不完全一致：%4</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Save scenario as YAML</source>
        <translation>将场景另存为 YAML</translation>
    </message>
    <message>
        <source>Scenarios (*.yaml *.yml)</source>
        <translation>场景 (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>Compare needs a what-if branch: pause, then choose an action in the What if menu.</source>
        <translation>对比需要一个假如分支：先暂停，再在“假如”菜单中选择一个操作。</translation>
    </message>
    <message>
        <source>What if %1?</source>
        <translation>假如%1？</translation>
    </message>
    <message>
        <source>As captured: %1, connection #%2</source>
        <translation>抓包原貌：%1，连接 #%2</translation>
    </message>
    <message>
        <source>Replay of %1, connection #%2 (not exact)</source>
        <translation>%1 连接 #%2 的重放（不完全一致）</translation>
    </message>
    <message>
        <source>the capture</source>
        <translation>抓包</translation>
    </message>
    <message>
        <source>The scenario as written</source>
        <translation>原场景</translation>
    </message>
    <message>
        <source>the scenario</source>
        <translation>原场景</translation>
    </message>
    <message>
        <source>This &amp;machine's sockets</source>
        <translation>本机套接字(&amp;M)</translation>
    </message>
    <message>
        <source>This computer's own TCP sockets, as ss shows them, refreshed every second</source>
        <translation>本机自己的 TCP 套接字（如 ss 所示），每秒刷新</translation>
    </message>
    <message>
        <source>This machine's sockets</source>
        <translation>本机套接字</translation>
    </message>
    <message>
        <source>Sockets per state (ss -tan)</source>
        <translation>各状态套接字数（ss -tan）</translation>
    </message>
    <message>
        <source>Opening a connection</source>
        <translation>建立连接</translation>
    </message>
    <message>
        <source>Data transfer</source>
        <translation>数据传输</translation>
    </message>
    <message>
        <source>Closing a connection</source>
        <translation>关闭连接</translation>
    </message>
    <message>
        <source>Resets and aborts</source>
        <translation>复位与中止</translation>
    </message>
    <message>
        <source>Timers and retransmission</source>
        <translation>定时器与重传</translation>
    </message>
    <message>
        <source>Attacks and defences</source>
        <translation>攻击与防御</translation>
    </message>
    <message>
        <source>Capture</source>
        <translation>抓包</translation>
    </message>
    <message>
        <source>About tcpviz</source>
        <translation>关于 tcpviz</translation>
    </message>
    <message>
        <source>&lt;h3&gt;tcpviz %1&lt;/h3&gt;&lt;p&gt;Makes TCP connection management visible: the RFC 9293 state machine, an animated sequence diagram, what-if experiments and capture analysis.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;tcpviz %1&lt;/h3&gt;&lt;p&gt;让 TCP 连接管理看得见：RFC 9293 状态机、动画时序图、“假如……”实验和抓包分析。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a scenario (.yaml) or a capture (.pcap, .pcapng) (Ctrl+O)</source>
        <translation>打开场景（.yaml）或抓包文件（.pcap、.pcapng）（Ctrl+O）</translation>
    </message>
    <message>
        <source>Save as &amp;pcap…</source>
        <translation>另存为 pcap(&amp;P)…</translation>
    </message>
    <message>
        <source>Export diagram (whole exchange)…</source>
        <translation>导出时序图（整个交互）…</translation>
    </message>
    <message>
        <source>Export diagram (as at this step)…</source>
        <translation>导出时序图（截至当前步）…</translation>
    </message>
    <message>
        <source>Export as &amp;Mermaid text…</source>
        <translation>导出为 Mermaid 文本(&amp;M)…</translation>
    </message>
    <message>
        <source>Export as &amp;PlantUML text…</source>
        <translation>导出为 PlantUML 文本(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Relative sequence numbers</source>
        <translation>相对序列号(&amp;R)</translation>
    </message>
    <message>
        <source>RFC 9293 (SYN-RECEIVED)</source>
        <translation>RFC 9293（SYN-RECEIVED）</translation>
    </message>
    <message>
        <source>Linux ss (SYN-RECV)</source>
        <translation>Linux ss（SYN-RECV）</translation>
    </message>
    <message>
        <source>Both (SYN-RECEIVED (SYN-RECV))</source>
        <translation>两者并列（SYN-RECEIVED (SYN-RECV)）</translation>
    </message>
    <message>
        <source>&amp;Dark palette</source>
        <translation>深色配色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Scenario &amp;library</source>
        <translation>场景库(&amp;L)</translation>
    </message>
    <message>
        <source>Step &amp;back</source>
        <translation>后退一步(&amp;B)</translation>
    </message>
    <message>
        <source>Step back one event (Left)</source>
        <translation>后退一个事件（左方向键）</translation>
    </message>
    <message>
        <source>Step &amp;forward</source>
        <translation>前进一步(&amp;F)</translation>
    </message>
    <message>
        <source>Step forward one event (Right)</source>
        <translation>前进一个事件（右方向键）</translation>
    </message>
    <message>
        <source>To &amp;start</source>
        <translation>回到开头(&amp;S)</translation>
    </message>
    <message>
        <source>Jump to the start (Home)</source>
        <translation>跳到开头（Home）</translation>
    </message>
    <message>
        <source>To &amp;end</source>
        <translation>跳到结尾(&amp;E)</translation>
    </message>
    <message>
        <source>Jump to the end (End)</source>
        <translation>跳到结尾（End）</translation>
    </message>
    <message>
        <source>&amp;Faster</source>
        <translation>加速(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Slower</source>
        <translation>减速(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Quiz</source>
        <translation>测验(&amp;Q)</translation>
    </message>
    <message>
        <source>Quiz: before each transition, guess the next state and the flags sent</source>
        <translation>测验：每次状态转换之前，猜一猜下一个状态和发送的标志位</translation>
    </message>
    <message>
        <source>&amp;Back to the scenario</source>
        <translation>回到原场景(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Start live capture…</source>
        <translation>开始实时抓包(&amp;S)…</translation>
    </message>
    <message>
        <source>S&amp;top live capture</source>
        <translation>停止实时抓包(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;About tcpviz</source>
        <translation>关于 tcpviz(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>S&amp;hutdown (half-close)</source>
        <translation>半关闭 shutdown(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Abort (RST)</source>
        <translation>中止（RST）(&amp;A)</translation>
    </message>
    <message>
        <source>Send &amp;data…</source>
        <translation>发送数据(&amp;D)…</translation>
    </message>
    <message>
        <source>Drop the %1's next segment</source>
        <translation>丢弃%1的下一个报文段</translation>
    </message>
    <message>
        <source>Delay the %1's next segment</source>
        <translation>延迟%1的下一个报文段</translation>
    </message>
    <message>
        <source>Duplicate the %1's next segment</source>
        <translation>复制%1的下一个报文段</translation>
    </message>
    <message>
        <source>client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>State &amp;names</source>
        <translation>状态名称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Scenarios</source>
        <translation>场景(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;What if</source>
        <translation>假如(&amp;W)</translation>
    </message>
    <message>
        <source>The &amp;client…</source>
        <translation>客户端(&amp;C)…</translation>
    </message>
    <message>
        <source>The &amp;server…</source>
        <translation>服务器(&amp;S)…</translation>
    </message>
    <message>
        <source>The &amp;network…</source>
        <translation>网络(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Capture</source>
        <translation>抓包(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Player</source>
        <translation>播放器</translation>
    </message>
    <message>
        <source>Scenarios</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>Pick a built-in scenario</source>
        <translation>选择一个内置场景</translation>
    </message>
    <message>
        <source>Playback speed (+/-)</source>
        <translation>播放速度（+/-）</translation>
    </message>
    <message>
        <source>Timeline: one tick per segment (blue: client, orange: server, red: lost)</source>
        <translation>时间轴：每个报文段一个刻度（蓝色：客户端，橙色：服务器，红色：丢失）</translation>
    </message>
    <message>
        <source>Back to the scenario</source>
        <translation>回到原场景</translation>
    </message>
    <message>
        <source>Scenario library</source>
        <translation>场景库</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Cannot open scenario</source>
        <translation>无法打开场景</translation>
    </message>
    <message>
        <source>Capture from standard input</source>
        <translation>来自标准输入的抓包</translation>
    </message>
    <message>
        <source>Step %1 / %2 · %3</source>
        <translation>第 %1 / %2 步 · %3</translation>
    </message>
    <message>
        <source>%1 at step %2</source>
        <translation>第 %2 步时%1</translation>
    </message>
    <message>
        <source>Branch: what if %1? (not the scenario as written)</source>
        <translation>分支：假如%1会怎样？（已偏离原场景）</translation>
    </message>
    <message>
        <source>, then </source>
        <translation>，然后</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause (Space)</source>
        <translation>暂停（空格）</translation>
    </message>
    <message>
        <source>Play (Space)</source>
        <translation>播放（空格）</translation>
    </message>
    <message>
        <source>Open scenario or capture</source>
        <translation>打开场景或抓包文件</translation>
    </message>
    <message>
        <source>Scenarios and captures (*.yaml *.yml *.pcap *.pcapng *.cap);;Scenarios (*.yaml *.yml);;Captures (*.pcap *.pcapng *.cap);;All files (*)</source>
        <translation>场景和抓包文件 (*.yaml *.yml *.pcap *.pcapng *.cap);;场景 (*.yaml *.yml);;抓包文件 (*.pcap *.pcapng *.cap);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export the whole diagram</source>
        <translation>导出完整时序图</translation>
    </message>
    <message>
        <source>Export the diagram as at this step</source>
        <translation>导出截至当前步的时序图</translation>
    </message>
    <message>
        <source>SVG image (*.svg);;PNG image (*.png);;PDF document (*.pdf)</source>
        <translation>SVG 图像 (*.svg);;PNG 图像 (*.png);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <source>Export as Mermaid</source>
        <translation>导出为 Mermaid</translation>
    </message>
    <message>
        <source>Export as PlantUML</source>
        <translation>导出为 PlantUML</translation>
    </message>
    <message>
        <source>Mermaid (*.mmd *.md)</source>
        <translation>Mermaid (*.mmd *.md)</translation>
    </message>
    <message>
        <source>PlantUML (*.puml *.plantuml)</source>
        <translation>PlantUML (*.puml *.plantuml)</translation>
    </message>
    <message>
        <source>Save as pcap</source>
        <translation>另存为 pcap</translation>
    </message>
    <message>
        <source>pcap capture (*.pcap)</source>
        <translation>pcap 抓包文件 (*.pcap)</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>What if: send data</source>
        <translation>假如：发送数据</translation>
    </message>
    <message>
        <source>Bytes the client sends:</source>
        <translation>客户端发送的字节数：</translation>
    </message>
    <message>
        <source>Bytes the server sends:</source>
        <translation>服务器发送的字节数：</translation>
    </message>
    <message>
        <source>What if</source>
        <translation>假如</translation>
    </message>
    <message>
        <source>Quiz</source>
        <translation>测验</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>不发送</translation>
    </message>
    <message>
        <source>Right!</source>
        <translation>答对了！</translation>
    </message>
    <message>
        <source>Right state, wrong segment.</source>
        <translation>状态对了，报文段错了。</translation>
    </message>
    <message>
        <source>Right segment, wrong state.</source>
        <translation>报文段对了，状态错了。</translation>
    </message>
    <message>
        <source>Not quite.</source>
        <translation>不太对。</translation>
    </message>
    <message>
        <source>The %1 enters %2 and sends %3.</source>
        <translation>%1进入 %2，并发送 %3。</translation>
    </message>
    <message>
        <source>Live capture</source>
        <translation>实时抓包</translation>
    </message>
    <message numerus="yes">
        <source>&lt;p&gt;&lt;b&gt;Heat map:&lt;/b&gt; the state graph counts the endpoints of all %n connection(s) in each state at the time chosen below the table. Play the overview to watch them move; a pile-up in TIME-WAIT or CLOSE-WAIT stands out. Select a row to step through one connection.&lt;/p&gt;</source>
        <translation><numerusform>&lt;p&gt;&lt;b&gt;热力图：&lt;/b&gt;状态图统计了全部 %n 个连接的端点在表格下方所选时刻处于各个状态的数量。播放总览即可看到它们的变化；TIME-WAIT 或 CLOSE-WAIT 的堆积会一目了然。选择表格中的一行，即可逐步查看单个连接。&lt;/p&gt;</numerusform></translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit the whole exchange</source>
        <translation>显示整个交互过程(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Automatic (steps where time would crowd the labels)</source>
        <translation>自动(时间轴上标签拥挤时按步骤)(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Time (proportional, long waits shortened)</source>
        <translation>时间(按比例，长时间等待被缩短)(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Steps (one row per segment sent or received)</source>
        <translation>步骤(每个报文段的发送或接收占一行)(&amp;S)</translation>
    </message>
    <message>
        <source>Show what &amp;comes next, faintly</source>
        <translation>淡显接下来会发生的内容(&amp;C)</translation>
    </message>
    <message>
        <source>Sequence diagram &amp;axis</source>
        <translation>时序图纵轴(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>按键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Writing scenarios</source>
        <translation>编写场景(&amp;W)</translation>
    </message>
    <message>
        <source>What do the &amp;colours mean?</source>
        <translation>颜色代表什么(&amp;C)？</translation>
    </message>
    <message>
        <source>Quiz: the explanation of this step is held back until you have answered the question beside the diagram.</source>
        <translation>测验：请先回答图旁边的问题，这一步的讲解会在作答后显示。</translation>
    </message>
    <message>
        <source>&amp;Leave presentation mode</source>
        <translation>退出演示模式(&amp;L)</translation>
    </message>
    <message>
        <source>Packet &amp;details in presentation mode</source>
        <translation>演示模式中显示报文详情(&amp;D)</translation>
    </message>
    <message>
        <source>Export states chart (PNG, SVG, CSV)…</source>
        <translation>导出状态图表（PNG、SVG、CSV）…</translation>
    </message>
    <message>
        <source>No connection passes the table's address and anomaly filters.</source>
        <translation>没有连接通过表格的地址和异常筛选。</translation>
    </message>
    <message>
        <source>No TCP connection in this capture.</source>
        <translation>此抓包中没有 TCP 连接。</translation>
    </message>
    <message>
        <source>standard input</source>
        <translation>标准输入</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) in %1 packets (%2 TCP), over %3.</source>
        <translation><numerusform>%1 个分组（%2 个 TCP）中共 %n 个连接，历时 %3。</numerusform></translation>
    </message>
    <message>
        <source>client ends: %1</source>
        <translation>客户端：%1</translation>
    </message>
    <message>
        <source>server ends: %1</source>
        <translation>服务器端：%1</translation>
    </message>
    <message>
        <source>At the end:</source>
        <translation>结束时：</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s) with retransmissions</source>
        <translation><numerusform>%n 个连接有重传</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n retransmitted segment(s)</source>
        <translation><numerusform>共重传 %n 个报文段</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n reset by a RST</source>
        <translation><numerusform>%n 个被 RST 重置</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n already open when the capture began</source>
        <translation><numerusform>%n 个在抓包开始时已经打开</numerusform></translation>
    </message>
    <message>
        <source>Anomalies:</source>
        <translation>异常：</translation>
    </message>
    <message>
        <source>none: no retransmission, reset or connection open before the capture.</source>
        <translation>无：没有重传、重置，也没有在抓包前就已打开的连接。</translation>
    </message>
    <message>
        <source>The chart on the left shows the same counts over the whole capture: click or drag on it to move the heat map's time, hover for the numbers, click a state's band to list its connections.</source>
        <translation>左侧的图表显示整个抓包期间的同样计数：在图上单击或拖动可移动热力图的时刻，悬停可查看数字，单击某个状态的色带可列出其中的连接。</translation>
    </message>
    <message>
        <source>Export the states chart</source>
        <translation>导出状态图表</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;CSV counts (*.csv)</source>
        <translation>PNG 图像 (*.png);;SVG 图像 (*.svg);;CSV 计数 (*.csv)</translation>
    </message>
    <message>
        <source>One row every (e.g. 1s, 250ms, 2min; as tcpviz-cli analyze --counts):</source>
        <translation>每隔多久一行（例如 1s、250ms、2min；与 tcpviz-cli 的 --counts 相同）：</translation>
    </message>
    <message>
        <source>'%1' is not an interval: write for example 1s, 250ms or 2min.</source>
        <translation>“%1”不是时间间隔：请写成例如 1s、250ms 或 2min。</translation>
    </message>
    <message>
        <source>No capture is open.</source>
        <translation>没有打开的抓包。</translation>
    </message>
    <message>
        <source>%1: cannot write</source>
        <translation>%1：无法写入</translation>
    </message>
    <message>
        <source>%1: unknown format (use .png, .svg or .csv)</source>
        <translation>%1：未知格式（请使用 .png、.svg 或 .csv）</translation>
    </message>
    <message>
        <source>Capture point %1 from the client, %2 from the server (estimated from the handshake): each arrow runs from the estimated sending to the estimated arrival</source>
        <translation>抓包点距客户端 %1，距服务器 %2（由三次握手估计）：每个箭头从估计的发送时刻画到估计的到达时刻</translation>
    </message>
    <message>
        <source>Capture point %1 from the client, %2 from the server (estimated from data and its ACKs): each arrow runs from the estimated sending to the estimated arrival</source>
        <translation>抓包点距客户端 %1，距服务器 %2（由数据及其确认估计）：每个箭头从估计的发送时刻画到估计的到达时刻</translation>
    </message>
    <message>
        <source>No delay estimate (no handshake and no answered data captured): arrows are drawn flat at the capture time</source>
        <translation>无法估计时延（抓包中既没有握手，也没有得到确认的数据）：箭头按抓包时刻水平绘制</translation>
    </message>
    <message>
        <source>start not captured</source>
        <translation>未抓到连接的开始</translation>
    </message>
    <message>
        <source>only the server's packets captured</source>
        <translation>只抓到服务器发送的分组</translation>
    </message>
    <message>
        <source>only the client's packets captured</source>
        <translation>只抓到客户端发送的分组</translation>
    </message>
    <message>
        <source>Connection #%1 was evicted by the live capture (finished, beyond the retention limit): this ladder no longer grows</source>
        <translation>连接 #%1 已被实时抓包移出（连接已结束，超出保留上限）：此时序图不再增长</translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::QuizPanel</name>
    <message>
        <source>Next state</source>
        <translation>下一个状态</translation>
    </message>
    <message>
        <source>Segment it sends at that moment</source>
        <translation>它在那一刻发送的报文段</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>作答</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>不发送</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Quiz on.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Press &lt;b&gt;Play&lt;/b&gt; (Space) or step forward (→). Before each change of state the lesson stops and asks here which state comes next and which segment is sent; it also asks what an endpoint sends when it answers without changing state, whether a RST is accepted, and what a FIN arriving again in TIME-WAIT does.&lt;/p&gt;&lt;p&gt;The explanation of that step waits until you have answered.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;测验已开启。&lt;/b&gt;&lt;/p&gt;&lt;p&gt;按&lt;b&gt;播放&lt;/b&gt;（空格）或向前一步（→）。每次状态变化之前，课程会暂停，并在这里提问：接下来进入哪个状态、发送哪种报文段；它还会问：端点不改变状态而应答时发送什么、RST 是否被接受、FIN 在 TIME-WAIT 中再次到达会带来什么。&lt;/p&gt;&lt;p&gt;这一步的讲解会在你作答之后显示。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>The %1 is in %2. Which state does it enter next?</source>
        <translation>%1当前处于 %2。它接下来会进入哪个状态？</translation>
    </message>
    <message>
        <source>Segment it sends</source>
        <translation>它发送的报文段</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>你的答案</translation>
    </message>
    <message>
        <source>The %1 is in %2. What does it send now?</source>
        <translation>%1当前处于 %2。它现在发送什么？</translation>
    </message>
    <message>
        <source>A RST is arriving at the %1, which is in %2. Will the %1 accept it? Look at its SEQ on the arrow.</source>
        <translation>一个 RST 正在到达%1，%1处于 %2。%1会接受它吗？看看箭头上的 SEQ。</translation>
    </message>
    <message>
        <source>The peer's FIN is arriving again at the %1, which is in %2. What happens to its TIME-WAIT timer?</source>
        <translation>对方的 FIN 再次到达%1，%1处于 %2。它的 TIME-WAIT 定时器会怎样？</translation>
    </message>
    <message>
        <source>Press Play (Space) or step forward (→) to go on.</source>
        <translation>按播放（空格）或向前一步（→）继续。</translation>
    </message>
    <message>
        <source>%1 correct of 1 question</source>
        <translation>1 题中答对 %1 题</translation>
    </message>
    <message>
        <source>%1 correct of %2 questions</source>
        <translation>%2 题中答对 %1 题</translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::StateCountsPanel</name>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>What `ss -tan | awk &apos;NR&gt;1 {d[$1]++} END {for (s in d) print s, d[s]}&apos;` prints at the playhead, on the client hosts and on the server: one row per state that has sockets.</source>
        <translation>在播放头处，`ss -tan | awk 'NR&gt;1 {d[$1]++} END {for (s in d) print s, d[s]}'` 在客户端主机和服务器上会打印的内容：每个有套接字的状态一行。</translation>
    </message>
    <message>
        <source>Open a capture or a scenario with many connections to count its sockets per state.</source>
        <translation>打开一个抓包文件或一个多连接场景，即可按状态统计其套接字。</translation>
    </message>
    <message>
        <source>At %1, as ss -tan counts them:</source>
        <translation>在 %1 时，按 ss -tan 的统计：</translation>
    </message>
    <message>
        <source>Sockets: %1 on the clients, %2 on the server.</source>
        <translation>套接字：客户端上 %1 个，服务器上 %2 个。</translation>
    </message>
    <message>
        <source>A capture&apos;s states are inferred from its packets; a server end counts as LISTEN until its SYN+ACK is seen.</source>
        <translation>抓包中的状态是从报文推断出来的；在看到 SYN+ACK 之前，服务器端按 LISTEN 计数。</translation>
    </message>
    <message numerus="yes">
        <source>%n end(s) in CLOSED: ss does not list them.</source>
        <translation><numerusform>%n 个端点处于 CLOSED：ss 不会列出它们。</numerusform></translation>
    </message>
</context>
<context>
    <name>tcpviz::gui::WhatIfController</name>
    <message>
        <source>What-if needs a simulated scenario; a capture shows what really happened.</source>
        <translation>“假如”实验需要模拟场景；抓包记录的是真实发生的事情。</translation>
    </message>
    <message>
        <source>What if %1</source>
        <translation>假如%1</translation>
    </message>
    <message>
        <source>Back to the scenario</source>
        <translation>回到原场景</translation>
    </message>
    <message>
        <source>After this step %1 sends no more segments, so there is nothing for the network to hit.</source>
        <translation>这一步之后%1不再发送报文段，网络没有可以作用的对象。</translation>
    </message>
</context>
</TS>
