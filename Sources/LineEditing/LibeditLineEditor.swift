import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `LineEditor` over libedit's native `el_*` API (not its readline
/// emulation): completion edits the buffer directly, so quoting is exact, and
/// input goes through our own read function, so Ctrl-C, Ctrl-Z and window
/// resizes are handled without libedit's signal handlers, which re-send the
/// signal to the whole process group.
///
/// Not thread-safe: create it and call it on one thread. `control` is the
/// exception and may be used from anywhere.
public final class LibeditLineEditor: LineEditor {
    let editLine: OpaquePointer
    private let historyList: OpaquePointer
    let inputFD: Int32
    let outputFile: UnsafeMutablePointer<FILE>
    let wakeReadFD: Int32
    private let wakeWriteFD: Int32
    private var prompt: UnsafeMutablePointer<wchar_t>

    /// Set when the line is being abandoned (Ctrl-C); the next read fails so
    /// that `el_wgets` returns.
    var interruptRequested = false
    var pendingSuspend = false
    var pendingResize = false

    public let control: LineEditorControl
    public var completionProvider: (any CompletionProvider)?

    /// - Parameters:
    ///   - programName: the name `~/.editrc` settings are matched against.
    ///   - input: the terminal to read keys from.
    ///   - output: where the prompt and the line are drawn.
    ///   - historySize: how many entries the recall list keeps.
    ///   - readsEditrc: whether to apply the user's `~/.editrc` (or `$EDITRC`).
    /// - Returns: `nil` when libedit cannot be set up (no usable terminal).
    public init?(
        programName: String = "cfsh",
        input: UnsafeMutablePointer<FILE> = cfsh_stdin(),
        output: UnsafeMutablePointer<FILE> = cfsh_stdout(),
        errors: UnsafeMutablePointer<FILE> = cfsh_stderr(),
        historySize: Int = 1000,
        readsEditrc: Bool = true
    ) {
        _ = LibeditLocale.prepared
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        guard let editLine = el_init(programName, input, output, errors),
            let historyList = history_winit()
        else {
            close(fds[0])
            close(fds[1])
            return nil
        }
        self.editLine = editLine
        self.historyList = historyList
        self.inputFD = fileno(input)
        self.outputFile = output
        self.wakeReadFD = fds[0]
        self.wakeWriteFD = fds[1]
        self.control = LineEditorControl(wakeFD: fds[1])
        self.prompt = Self.wideCString("")

        _ = cfsh_history_set_size(historyList, Int32(clamping: historySize))
        _ = cfsh_history_set_unique(historyList, 1)
        configure(readsEditrc: readsEditrc)
    }

    deinit {
        el_end(editLine)
        history_wend(historyList)
        close(wakeReadFD)
        close(wakeWriteFD)
        prompt.deallocate()
    }

    private func configure(readsEditrc: Bool) {
        _ = cfsh_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        _ = cfsh_el_set_editor(editLine, Self.wide("emacs"))
        // Our read function turns signals into events; libedit's own handlers
        // would re-raise SIGINT and SIGTSTP with kill(0, ...).
        _ = cfsh_el_set_signal(editLine, 0)
        _ = cfsh_el_set_prompt(editLine, LibeditCallbacks.prompt)
        _ = cfsh_el_set_getcfn(editLine, LibeditCallbacks.readCharacter)
        _ = cfsh_el_set_history(editLine, historyList)
        if readsEditrc { _ = el_source(editLine, nil) }
        // Bound after ~/.editrc, since `bind -v` there resets every key map.
        bind("cfsh-complete", help: "Complete the word at the cursor", to: "^I", LibeditCallbacks.complete)
        bind("cfsh-interrupt", help: "Discard the line", to: "^C", LibeditCallbacks.interrupt)
        _ = cfsh_el_bind(editLine, Self.wide("^R"), Self.wide("em-inc-search-prev"))
    }

    private func bind(_ name: String, help: String, to key: String, _ function: cfsh_el_command_t) {
        let wideName = Self.wide(name)
        _ = cfsh_el_add_function(editLine, wideName, Self.wide(help), function)
        _ = cfsh_el_bind(editLine, Self.wide(key), wideName)
    }

    // MARK: LineEditor

    public func readLine(prompt text: String) -> LineInput {
        setPrompt(text)
        interruptRequested = false
        discardStaleInterrupts()
        var count: Int32 = 0
        let line = el_wgets(editLine, &count)
        if interruptRequested {
            interruptRequested = false
            write("^C\n")
            return .interrupted
        }
        guard let line, count > 0 else {
            write("\n")
            return .endOfInput
        }
        var text = Self.string(line, count: Int(count))
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    public func addHistory(_ entry: String) {
        guard !entry.isEmpty else { return }
        _ = cfsh_history_enter(historyList, Self.wide(entry))
    }

    public func loadHistory(_ entries: [String]) {
        _ = cfsh_history_clear(historyList)
        for entry in entries { addHistory(entry) }
    }

    public var history: [String] {
        var entries: [String] = []
        var step = cfsh_history_step(historyList, 1)
        while let entry = step {
            entries.append(Self.string(entry, count: wcslen(entry)))
            step = cfsh_history_step(historyList, 0)
        }
        return entries
    }

    // MARK: helpers

    private func setPrompt(_ text: String) {
        prompt.deallocate()
        prompt = Self.wideCString(text)
    }

    var promptPointer: UnsafeMutablePointer<wchar_t> { prompt }

    /// A Ctrl-C pressed while a command was finishing is not meant for the
    /// next line; suspend and resize requests still are.
    private func discardStaleInterrupts() {
        for event in drainWakeEvents() {
            switch event {
            case .interrupt: break
            case .suspend: pendingSuspend = true
            case .resize: pendingResize = true
            }
        }
    }

    func drainWakeEvents() -> [WakeEvent] {
        var events: [WakeEvent] = []
        var bytes = [UInt8](repeating: 0, count: 64)
        while true {
            let count = bytes.withUnsafeMutableBytes { read(wakeReadFD, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            events += bytes[..<count].compactMap(WakeEvent.init(rawValue:))
        }
        return events
    }

    func write(_ text: String) {
        _ = fputs(text, outputFile)
        _ = fflush(outputFile)
    }

    var terminalWidth: Int {
        var size = winsize()
        if ioctl(fileno(outputFile), UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return 80
    }

    static func wide(_ text: String) -> [wchar_t] {
        text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
    }

    private static func wideCString(_ text: String) -> UnsafeMutablePointer<wchar_t> {
        let characters = wide(text)
        let pointer = UnsafeMutablePointer<wchar_t>.allocate(capacity: characters.count)
        pointer.initialize(from: characters, count: characters.count)
        return pointer
    }

    static func string(_ characters: UnsafePointer<wchar_t>, count: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for index in 0..<count {
            scalars.append(Unicode.Scalar(UInt32(bitPattern: characters[index])) ?? "\u{FFFD}")
        }
        return String(scalars)
    }
}

/// libedit shows non-ASCII characters only in a UTF-8 locale, and Swift
/// programs start in the "C" locale. Only the character type is changed.
enum LibeditLocale {
    static let prepared: Bool = {
        if setlocale(LC_CTYPE, "") != nil, isUTF8 { return true }
        return setlocale(LC_CTYPE, "C.UTF-8") != nil
    }()

    private static var isUTF8: Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).lowercased()
        return name == "utf-8" || name == "utf8"
    }
}
