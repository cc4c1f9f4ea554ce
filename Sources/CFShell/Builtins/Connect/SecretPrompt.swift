#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a secret from the controlling terminal with echo off, for `connect --password-prompt`
/// and for `connect` on a terminal when the secret is the only thing missing.
///
/// It reads `/dev/tty` rather than stdin, so a script piped into cfsh is never consumed as a
/// password, and the answer never reaches the line editor's history.
enum SecretPrompt {
    /// Asks `prompt` on the terminal and returns the line typed, without its newline.
    ///
    /// - Throws: `ShellError.usage` when there is no terminal to ask on.
    static func ask(_ prompt: String) throws(ShellError) -> String {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else {
            throw ShellError.usage(
                "connect: no terminal to ask for the secret on; set it in the environment or in clouds.yaml/secure.yaml"
            )
        }
        defer { close(fd) }
        var saved = termios()
        let canHideEcho = tcgetattr(fd, &saved) == 0
        if canHideEcho {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ICANON)
            _ = tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer {
            if canHideEcho { _ = tcsetattr(fd, TCSAFLUSH, &saved) }
        }
        put(fd, prompt + ": ")
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") {
            bytes.append(byte)
        }
        // Echo was off, so the newline the user typed was not shown.
        put(fd, "\n")
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func put(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            _ = write(fd, buffer.baseAddress, buffer.count)
        }
    }
}
