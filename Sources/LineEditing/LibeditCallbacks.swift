import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C functions libedit calls back. Each finds its editor through
/// `EL_CLIENTDATA`, so no global state is shared between editors and these
/// need no locks: libedit calls them on the thread running `el_wgets`.
enum LibeditCallbacks {
    static func editor(_ editLine: OpaquePointer?) -> LibeditLineEditor? {
        guard let editLine, let data = cfsh_el_get_clientdata(editLine) else { return nil }
        return Unmanaged<LibeditLineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    static let prompt: cfsh_el_wprompt_t = { editLine in
        editor(editLine)?.promptPointer
    }

    static let readCharacter: el_rfunc_t = { editLine, character in
        guard let editor = editor(editLine), let character else { return -1 }
        return editor.readCharacter(into: character)
    }

    static let complete: cfsh_el_command_t = { editLine, _ in
        guard let editor = editor(editLine) else { return UInt8(CC_ERROR) }
        return UInt8(editor.complete())
    }

    static let interrupt: cfsh_el_command_t = { editLine, _ in
        guard let editor = editor(editLine), let editLine, let info = el_wline(editLine)?.pointee else {
            return UInt8(CC_EOF)
        }
        // Leave the cursor after the abandoned text so "^C" follows it.
        _ = el_cursor(editLine, Int32(info.lastchar - info.cursor))
        editor.interruptRequested = true
        return UInt8(CC_REFRESH)
    }
}

extension LibeditLineEditor {
    /// Our `EL_GETCFN`: waits for a key or a wake event, decodes UTF-8.
    /// Returns 1 with a character, 0 at end of input, -1 to abandon the line.
    func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        while true {
            if interruptRequested { return -1 }
            if pendingSuspend {
                pendingSuspend = false
                suspendProcess()
            }
            if pendingResize {
                pendingResize = false
                el_resize(editLine)
            }
            var fds = [
                pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeReadFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if fds[1].revents != 0 {
                for event in drainWakeEvents() {
                    switch event {
                    case .interrupt:
                        // Run the bound ^C command so the display ends tidily.
                        interruptRequested = true
                        character.pointee = 3
                        return 1
                    case .suspend: pendingSuspend = true
                    case .resize: pendingResize = true
                    }
                }
                continue
            }
            if fds[0].revents != 0 {
                switch readScalar() {
                case .character(let scalar):
                    character.pointee = wchar_t(bitPattern: scalar.value)
                    return 1
                case .end: return 0
                case .failed: return -1
                case .skip: continue
                }
            }
        }
    }

    private enum ReadOutcome {
        case character(Unicode.Scalar)
        case end, failed, skip
    }

    private func readScalar() -> ReadOutcome {
        var lead: UInt8 = 0
        switch readByte(&lead) {
        case 0: return .end
        case -1: return errno == EINTR || errno == EAGAIN ? .skip : .failed
        default: break
        }
        let length: Int
        switch lead {
        case 0..<0x80: return .character(Unicode.Scalar(lead))
        case 0xC2..<0xE0: length = 2
        case 0xE0..<0xF0: length = 3
        case 0xF0..<0xF5: length = 4
        default: return .skip
        }
        var bytes = [lead]
        while bytes.count < length {
            var next: UInt8 = 0
            guard readByte(&next) == 1, next & 0xC0 == 0x80 else { return .skip }
            bytes.append(next)
        }
        var decoded = String(decoding: bytes, as: UTF8.self).unicodeScalars.makeIterator()
        guard let scalar = decoded.next(), scalar != "\u{FFFD}" else { return .skip }
        return .character(scalar)
    }

    private func readByte(_ byte: inout UInt8) -> Int {
        while true {
            let count = read(inputFD, &byte, 1)
            if count < 0, errno == EINTR { continue }
            return count
        }
    }

    /// Ctrl-Z: the terminal goes back to its own mode while we are stopped,
    /// and the line is redrawn on a fresh row after `fg`. Only this process
    /// stops; the signal is not re-sent to the process group.
    private func suspendProcess() {
        _ = cfsh_el_prepare_terminal(editLine, 0)
        write("\n")
        kill(getpid(), SIGSTOP)
        _ = cfsh_el_prepare_terminal(editLine, 1)
        el_resize(editLine)
        _ = cfsh_el_refresh(editLine)
    }

    /// Tab: apply the provider's answer to the word before the cursor.
    func complete() -> Int32 {
        guard let provider = completionProvider, let info = el_wline(editLine)?.pointee else {
            return CC_REFRESH_BEEP
        }
        let line = Self.string(info.buffer, count: info.lastchar - info.buffer)
        let cursor = info.cursor - info.buffer
        let result = provider.completions(line: line, cursor: cursor)
        let replacing = max(0, min(result.replacing, cursor))
        let typed = Self.string(info.cursor - replacing, count: replacing)
        switch CompletionAction.plan(
            CompletionResult(replacing: replacing, candidates: result.candidates), typed: typed)
        {
        case .nothing:
            return CC_REFRESH_BEEP
        case .insert(let deleting, let text):
            if deleting > 0 { el_deletestr(editLine, Int32(deleting)) }
            _ = el_winsertstr(editLine, Self.wide(text))
            return CC_REFRESH
        case .list(let items):
            write("\n" + CandidateColumns.format(items, width: terminalWidth))
            return CC_REDISPLAY
        }
    }
}
