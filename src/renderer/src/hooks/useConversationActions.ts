// What the agent does to an open conversation besides drafting: record the customer's message, rename it,
// export its transcript. Failures are said in a toast; the transcript is reloaded after each change.
import type { ExportFormat } from '../../../shared/api'
import type { Conversation } from '../../../shared/domain'
import { useApi } from '../api/api-context'
import { describeError, describeSaveError } from '../api/errors'
import { useNotices } from '../context/notices'
import { download } from '../dom/download'

export interface ConversationActions {
  /** Resolves to whether the message was added (the box is emptied only then). */
  addCustomerMessage(text: string): Promise<boolean>
  /** Resolves to whether the title was saved (the title field stays open otherwise). */
  rename(title: string): Promise<boolean>
  exportTranscript(format: ExportFormat): void
}

export function useConversationActions(
  conversationId: number,
  reload: () => Promise<unknown>,
  onConversationChanged: (conversation: Conversation) => void,
): ConversationActions {
  const api = useApi()
  const { toast } = useNotices()

  const addCustomerMessage = async (text: string): Promise<boolean> => {
    try {
      // The core names a new conversation after its first customer message; reload shows the new title.
      await api.addCustomerMessage(conversationId, text)
      await reload()
      return true
    } catch (error) {
      toast(describeSaveError(error, 'The customer’s message'), 'error')
      return false
    }
  }

  const rename = async (title: string): Promise<boolean> => {
    try {
      const renamed = await api.renameConversation(conversationId, title)
      onConversationChanged(renamed)
      await reload()
      return true
    } catch (error) {
      toast(describeError(error), 'error')
      return false
    }
  }

  const exportTranscript = async (format: ExportFormat): Promise<void> => {
    try {
      download(await api.exportConversation(conversationId, format))
    } catch (error) {
      toast(describeError(error), 'error')
    }
  }

  return { addCustomerMessage, rename, exportTranscript: (format) => void exportTranscript(format) }
}
