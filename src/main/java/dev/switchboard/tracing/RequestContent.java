package dev.switchboard.tracing;

import dev.switchboard.llm.ClientRequest;
import dev.switchboard.llm.Protocol;

/**
 * A request's content in the GenAI conventions' message form, made once per request when content
 * capture is on and shared by its attempts' spans (a retry sends the same messages). Immutable.
 *
 * @param systemInstructions {@code gen_ai.system_instructions} (JSON), or null
 * @param inputMessages {@code gen_ai.input.messages} (JSON), or null for a door without messages
 */
record RequestContent(Protocol protocol, String systemInstructions, String inputMessages) {
    static RequestContent of(ClientRequest clientRequest) {
        return new RequestContent(clientRequest.protocol(), MessageContent.systemInstructions(clientRequest),
                MessageContent.inputMessages(clientRequest));
    }
}
