import { Modal } from './Modal'

export interface ConfirmDialogProps {
  title: string
  message: string
  confirmLabel: string
  danger?: boolean
  onConfirm(): void
  onCancel(): void
  testId?: string
}

export function ConfirmDialog({ title, message, confirmLabel, danger = false, onConfirm, onCancel, testId }: ConfirmDialogProps) {
  return (
    <Modal
      title={title}
      onClose={onCancel}
      testId={testId}
      footer={
        <>
          {/* Cancel first and focused: Enter on an accidental open does no harm. */}
          <button type="button" className="button" onClick={onCancel} data-autofocus>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'button button-danger' : 'button button-primary'}
            onClick={onConfirm}
            data-testid="confirm-button"
          >
            {confirmLabel}
          </button>
        </>
      }
    >
      <p>{message}</p>
    </Modal>
  )
}
