// Every keyboard shortcut, in the keys of this platform.
import { useIsMac } from '../context/platform'
import { SHORTCUTS } from '../state/shortcuts'
import { Modal } from './Modal'

export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const mac = useIsMac()
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-dialog" closeOnBackdrop>
      <table className="shortcuts-table">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.id}>
              <td>
                {s.description}
                {s.where && <span className="muted"> ({s.where})</span>}
              </td>
              <td>
                <kbd>{s.keys(mac)}</kbd>
              </td>
            </tr>
          ))}
          <tr>
            <td>
              Move in the conversation list <span className="muted">(when it has focus)</span>
            </td>
            <td>
              <kbd>↑</kbd> <kbd>↓</kbd> <kbd>Home</kbd> <kbd>End</kbd>
            </td>
          </tr>
          <tr>
            <td>Open · rename · delete the highlighted conversation</td>
            <td>
              <kbd>Enter</kbd> <kbd>F2</kbd> <kbd>Delete</kbd>
            </td>
          </tr>
        </tbody>
      </table>
      <p className="muted small">In a browser, {mac ? '⌘D' : 'Ctrl+D'} would bookmark the page; the console takes it over only while it has focus.</p>
    </Modal>
  )
}
