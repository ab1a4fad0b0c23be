package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.gemini.TestJson.json;
import static dev.switchboard.provider.gemini.TestJson.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.chat.ChatRequest;
import dev.switchboard.config.ModelConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.error.GatewayException;
import dev.switchboard.llm.Protocol;
import dev.switchboard.provider.mapping.TranslationBudget;
import jakarta.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The request direction, rule by rule: OpenAI body in, exact Gemini body out (docs/protocols/openai-to-gemini.md Part B). */
class GeminiRequestMapperTest {
    private static final ModelConfig MODEL = new ModelConfig("gem", "google", "gemini-x", null);
    private static final ModelConfig MODEL_WITH_CAP = new ModelConfig("gem", "google", "gemini-x", 4096);

    static Stream<Arguments> mappings() {
        return Stream.of(
                Arguments.of("system and developer messages become systemInstruction parts, in order",
                        """
                        {'model':'m','messages':[{'role':'system','content':'Be brief.'},
                          {'role':'user','content':'Hi'},
                          {'role':'developer','content':[{'type':'text','text':'No emoji.'}]}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'Hi'}]}],
                         'systemInstruction':{'parts':[{'text':'Be brief.'},{'text':'No emoji.'}]}}"""),
                Arguments.of("only system text: sent as the user turn, since contents may not be empty",
                        "{'model':'m','messages':[{'role':'system','content':'Say hi.'}]}",
                        "{'contents':[{'role':'user','parts':[{'text':'Say hi.'}]}]}"),
                Arguments.of("assistant becomes model; consecutive same-role turns are merged",
                        """
                        {'model':'m','messages':[{'role':'user','content':'a'},{'role':'user','content':'b'},
                          {'role':'assistant','content':'c'},{'role':'assistant','content':[{'type':'text','text':'d'}]},
                          {'role':'user','content':'e'}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'a'},{'text':'b'}]},
                          {'role':'model','parts':[{'text':'c'},{'text':'d'}]},
                          {'role':'user','parts':[{'text':'e'}]}]}"""),
                Arguments.of("a leading model turn gets a placeholder user turn before it",
                        "{'model':'m','messages':[{'role':'assistant','content':'How can I help?'},{'role':'user','content':'A joke'}]}",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'Please continue.'}]},
                          {'role':'model','parts':[{'text':'How can I help?'}]},{'role':'user','parts':[{'text':'A joke'}]}]}"""),
                Arguments.of("a trailing model turn gets a placeholder user turn after it",
                        "{'model':'m','messages':[{'role':'user','content':'Hi'},{'role':'assistant','content':'Once upon'}]}",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'Hi'}]},{'role':'model','parts':[{'text':'Once upon'}]},
                          {'role':'user','parts':[{'text':'Please continue.'}]}]}"""),
                Arguments.of("an assistant-only conversation gets a placeholder on both sides; system stays the instruction",
                        "{'model':'m','messages':[{'role':'system','content':'S'},{'role':'assistant','content':'Hello!'}]}",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'Please continue.'}]},{'role':'model','parts':[{'text':'Hello!'}]},
                          {'role':'user','parts':[{'text':'Please continue.'}]}],
                         'systemInstruction':{'parts':[{'text':'S'}]}}"""),
                Arguments.of("a conversation ending with function responses needs no placeholder (the call, made in"
                                + " the current turn without a signature, gets the dummy one: gemini-x may be Gemini 3)",
                        """
                        {'model':'m','messages':[{'role':'user','content':'x'},
                          {'role':'assistant','tool_calls':[{'id':'c','type':'function','function':{'name':'f','arguments':'{}'}}]},
                          {'role':'tool','tool_call_id':'c','content':'ok'}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'x'}]},
                          {'role':'model','parts':[{'functionCall':{'name':'f','args':{}},
                                                    'thoughtSignature':'skip_thought_signature_validator'}]},
                          {'role':'user','parts':[{'functionResponse':{'name':'f','response':{'output':'ok'}}}]}]}"""),
                Arguments.of("empty text is skipped and an empty assistant turn disappears, keeping alternation",
                        """
                        {'model':'m','messages':[{'role':'user','content':'a'},{'role':'assistant','content':''},
                          {'role':'user','content':[{'type':'text','text':''},{'type':'text','text':'b'}]}]}""",
                        "{'contents':[{'role':'user','parts':[{'text':'a'},{'text':'b'}]}]}"),
                Arguments.of("image data URL becomes inlineData",
                        """
                        {'model':'m','messages':[{'role':'user','content':[{'type':'text','text':'What is this?'},
                          {'type':'image_url','image_url':{'url':'data:image/PNG;base64,iVBORw0KGgo=','detail':'low'}}]}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'What is this?'},
                          {'inlineData':{'mimeType':'image/png','data':'iVBORw0KGgo='}}]}]}"""),
                Arguments.of("the data URL's scheme and base64 token are read case-insensitively (RFC 2397)",
                        """
                        {'model':'m','messages':[{'role':'user','content':[
                          {'type':'image_url','image_url':{'url':'DATA:image/webp;BASE64,UklGRg=='}},
                          {'type':'file','file':{'file_data':'data:application/pdf;charset=binary;Base64,JVBERi0='}}]}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'inlineData':{'mimeType':'image/webp','data':'UklGRg=='}},
                          {'inlineData':{'mimeType':'application/pdf','data':'JVBERi0='}}]}]}"""),
                Arguments.of("image/jpg, which Gemini rejects, goes out as image/jpeg; HEIC passes",
                        """
                        {'model':'m','messages':[{'role':'user','content':[
                          {'type':'image_url','image_url':{'url':'data:image/jpg;base64,/9j/4AAQ'}},
                          {'type':'file','file':{'file_data':'data:Image/JPG;base64,/9j/4AAR'}},
                          {'type':'image_url','image_url':{'url':'data:image/heic;base64,AAAA'}}]}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'inlineData':{'mimeType':'image/jpeg','data':'/9j/4AAQ'}},
                          {'inlineData':{'mimeType':'image/jpeg','data':'/9j/4AAR'}},
                          {'inlineData':{'mimeType':'image/heic','data':'AAAA'}}]}]}"""),
                Arguments.of("https image with a known extension becomes fileData with its media type",
                        """
                        {'model':'m','messages':[{'role':'user','content':[
                          {'type':'image_url','image_url':{'url':'https://example.com/a/cat.JPG?size=2'}}]}]}""",
                        """
                        {'contents':[{'role':'user','parts':[
                          {'fileData':{'mimeType':'image/jpeg','fileUri':'https://example.com/a/cat.JPG?size=2'}}]}]}"""),
                Arguments.of("YouTube links and Files API URIs become fileData without a media type",
                        """
                        {'model':'m','messages':[{'role':'user','content':[
                          {'type':'image_url','image_url':{'url':'https://www.youtube.com/watch?v=abc'}},
                          {'type':'image_url','image_url':'https://generativelanguage.googleapis.com/v1beta/files/f1'}]}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'fileData':{'fileUri':'https://www.youtube.com/watch?v=abc'}},
                          {'fileData':{'fileUri':'https://generativelanguage.googleapis.com/v1beta/files/f1'}}]}]}"""),
                Arguments.of("a Files API URI sent as a file_id becomes fileData",
                        """
                        {'model':'m','messages':[{'role':'user','content':[
                          {'type':'file','file':{'file_id':'https://generativelanguage.googleapis.com/v1beta/files/f2'}}]}]}""",
                        """
                        {'contents':[{'role':'user','parts':[
                          {'fileData':{'fileUri':'https://generativelanguage.googleapis.com/v1beta/files/f2'}}]}]}"""),
                Arguments.of("PDF file parts become inlineData application/pdf; a data URL keeps its type",
                        """
                        {'model':'m','messages':[{'role':'user','content':[
                          {'type':'file','file':{'filename':'a.pdf','file_data':'JVBERi0xLjQ='}},
                          {'type':'file','file':{'file_data':'data:application/pdf;base64,JVBERi0xLjU='}},
                          {'type':'input_audio','input_audio':{'data':'UklGRg==','format':'wav'}}]}]}""",
                        """
                        {'contents':[{'role':'user','parts':[
                          {'inlineData':{'mimeType':'application/pdf','data':'JVBERi0xLjQ='}},
                          {'inlineData':{'mimeType':'application/pdf','data':'JVBERi0xLjU='}},
                          {'inlineData':{'mimeType':'audio/wav','data':'UklGRg=='}}]}]}"""),
                Arguments.of("tools become one functionDeclarations list with cleaned schemas; strict dropped",
                        """
                        {'model':'m','messages':[{'role':'user','content':'Weather?'}],
                         'tools':[{'type':'function','function':{'name':'get_weather','description':'Current weather',
                            'strict':true,'parameters':{'$schema':'http://json-schema.org/draft-07/schema#','type':'object',
                            'properties':{'city':{'type':'string','format':'email'},'unit':{'type':['string','null'],'enum':['C','F']}},
                            'required':['city','ghost'],'additionalProperties':false}}},
                          {'type':'function','function':{'name':'now','parameters':{'type':'object','properties':{}}}},
                          {'type':'function','function':{'name':'ping'}}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'Weather?'}]}],
                         'tools':[{'functionDeclarations':[
                           {'name':'get_weather','description':'Current weather','parameters':{'type':'OBJECT',
                             'properties':{'city':{'type':'STRING'},'unit':{'type':'STRING','enum':['C','F'],'nullable':true}},
                             'required':['city']}},
                           {'name':'now'},{'name':'ping'}]}]}"""),
                Arguments.of("tool_choice auto, none and required map to AUTO, NONE and ANY",
                        toolChoiceRequest("'auto'"), toolChoiceBody("{'mode':'AUTO'}")),
                Arguments.of("tool_choice none", toolChoiceRequest("'none'"), toolChoiceBody("{'mode':'NONE'}")),
                Arguments.of("tool_choice required", toolChoiceRequest("'required'"), toolChoiceBody("{'mode':'ANY'}")),
                Arguments.of("a named function becomes ANY restricted to it",
                        toolChoiceRequest("{'type':'function','function':{'name':'b'}}"),
                        toolChoiceBody("{'mode':'ANY','allowedFunctionNames':['b']}")),
                Arguments.of("allowed_tools required declares only those functions under ANY",
                        toolChoiceRequest("{'type':'allowed_tools','allowed_tools':{'mode':'required',"
                                + "'tools':[{'type':'function','function':{'name':'a'}}]}}"),
                        """
                        {'contents':[{'role':'user','parts':[{'text':'go'}]}],
                         'tools':[{'functionDeclarations':[{'name':'a'}]}],
                         'toolConfig':{'functionCallingConfig':{'mode':'ANY'}}}"""),
                Arguments.of("allowed_tools auto keeps only those declarations under AUTO",
                        toolChoiceRequest("{'type':'allowed_tools','allowed_tools':{'mode':'auto',"
                                + "'tools':[{'type':'function','function':{'name':'b'}}]}}"),
                        """
                        {'contents':[{'role':'user','parts':[{'text':'go'}]}],
                         'tools':[{'functionDeclarations':[{'name':'b'}]}],
                         'toolConfig':{'functionCallingConfig':{'mode':'AUTO'}}}"""),
                Arguments.of("legacy functions and function_call are read like tools and tool_choice",
                        """
                        {'model':'m','messages':[{'role':'user','content':'go'}],
                         'functions':[{'name':'a'}],'function_call':{'name':'a'}}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'go'}]}],
                         'tools':[{'functionDeclarations':[{'name':'a'}]}],
                         'toolConfig':{'functionCallingConfig':{'mode':'ANY','allowedFunctionNames':['a']}}}"""),
                Arguments.of("tool round trip: calls become functionCall parts, results functionResponse parts named"
                                + " after the call (looked up by id), ordered like the calls, non-objects wrapped",
                        """
                        {'model':'m','messages':[{'role':'user','content':'Paris and Rome?'},
                          {'role':'assistant','content':null,'tool_calls':[
                            {'id':'call_1','type':'function','function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}},
                            {'id':'call_2','type':'function','function':{'name':'get_time','arguments':''}}]},
                          {'role':'tool','tool_call_id':'call_2','content':'14:05'},
                          {'role':'tool','tool_call_id':'call_1','content':[{'type':'text','text':'{\\'temp_c\\': 18}'}]},
                          {'role':'user','content':'Thanks'}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'Paris and Rome?'}]},
                          {'role':'model','parts':[{'functionCall':{'name':'get_weather','args':{'city':'Paris'}}},
                                                    {'functionCall':{'name':'get_time','args':{}}}]},
                          {'role':'user','parts':[
                            {'functionResponse':{'name':'get_weather','response':{'temp_c':18}}},
                            {'functionResponse':{'name':'get_time','response':{'output':'14:05'}}},
                            {'text':'Thanks'}]}]}"""),
                Arguments.of("a JSON array or number result is wrapped too, as text",
                        """
                        {'model':'m','messages':[{'role':'user','content':'x'},
                          {'role':'assistant','tool_calls':[{'id':'c','type':'function','function':{'name':'f','arguments':'{}'}}]},
                          {'role':'tool','tool_call_id':'c','content':'[1,2]'}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'x'}]},
                          {'role':'model','parts':[{'functionCall':{'name':'f','args':{}},
                                                    'thoughtSignature':'skip_thought_signature_validator'}]},
                          {'role':'user','parts':[{'functionResponse':{'name':'f','response':{'output':'[1,2]'}}}]}]}"""),
                Arguments.of("thought signature and Gemini's call id come back out of the tool-call id",
                        """
                        {'model':'m','messages':[{'role':'user','content':'x'},
                          {'role':'assistant','tool_calls':[
                            {'id':'call_r1_0_0__thought__CiQBx+/9Sig==','type':'function','function':{'name':'f','arguments':'{}'}},
                            {'id':'gcall_g7','type':'function','function':{'name':'g','arguments':'{}'}}]},
                          {'role':'tool','tool_call_id':'call_r1_0_0__thought__CiQBx+/9Sig==','content':'ok'},
                          {'role':'tool','tool_call_id':'gcall_g7','content':'ok'}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'x'}]},
                          {'role':'model','parts':[{'functionCall':{'name':'f','args':{}},'thoughtSignature':'CiQBx+/9Sig=='},
                                                    {'functionCall':{'id':'g7','name':'g','args':{}}}]},
                          {'role':'user','parts':[{'functionResponse':{'name':'f','response':{'output':'ok'}}},
                                                   {'functionResponse':{'id':'g7','name':'g','response':{'output':'ok'}}}]}]}"""),
                Arguments.of("a tool message for an unknown id falls back on its legacy name; function messages too",
                        """
                        {'model':'m','messages':[{'role':'user','content':'x'},
                          {'role':'tool','tool_call_id':'elsewhere','name':'f','content':'1'},
                          {'role':'function','name':'g','content':'{}'}]}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'x'},
                          {'functionResponse':{'name':'f','response':{'output':'1'}}},
                          {'functionResponse':{'name':'g','response':{}}}]}]}"""),
                Arguments.of("generationConfig: sampling, tokens, stop, candidates, seed, penalties",
                        """
                        {'model':'m','messages':[{'role':'user','content':'x'}],'temperature':0.2,'top_p':0.9,
                         'max_tokens':100,'max_completion_tokens':200,'stop':'END','n':2,'seed':7,
                         'presence_penalty':0.5,'frequency_penalty':0}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'x'}]}],
                         'generationConfig':{'temperature':0.2,'topP':0.9,'maxOutputTokens':200,'stopSequences':['END'],
                           'candidateCount':2,'seed':7,'presencePenalty':0.5}}"""),
                Arguments.of("max_tokens alone, a stop list, n of 1 sends no candidateCount",
                        """
                        {'model':'m','messages':[{'role':'user','content':'x'}],'max_tokens':100,'stop':['a','b'],'n':1}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'x'}]}],
                         'generationConfig':{'maxOutputTokens':100,'stopSequences':['a','b']}}"""),
                Arguments.of("empty stop entries are dropped; whitespace ones such as a line end are kept",
                        """
                        {'model':'m','messages':[{'role':'user','content':'x'}],'stop':['','\\n',' ','END','']}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'x'}]}],
                         'generationConfig':{'stopSequences':['\\n',' ','END']}}"""),
                Arguments.of("a stop of empty strings only sends no stopSequences: Gemini rejects an empty list",
                        "{'model':'m','messages':[{'role':'user','content':'x'}],'stop':['','']}",
                        "{'contents':[{'role':'user','parts':[{'text':'x'}]}]}"),
                Arguments.of("an empty stop string sends no stopSequences",
                        "{'model':'m','messages':[{'role':'user','content':'x'}],'stop':''}",
                        "{'contents':[{'role':'user','parts':[{'text':'x'}]}]}"),
                Arguments.of("json_object sets the JSON media type",
                        """
                        {'model':'m','messages':[{'role':'user','content':'x'}],'response_format':{'type':'json_object'}}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'x'}]}],
                         'generationConfig':{'responseMimeType':'application/json'}}"""),
                Arguments.of("json_schema sets the media type and a cleaned responseSchema",
                        """
                        {'model':'m','messages':[{'role':'user','content':'x'}],'response_format':{'type':'json_schema',
                          'json_schema':{'name':'answer','strict':true,'schema':{'type':'object',
                            'properties':{'value':{'type':'integer'}},'required':['value'],'additionalProperties':false}}}}""",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'x'}]}],
                         'generationConfig':{'responseMimeType':'application/json','responseSchema':{'type':'OBJECT',
                           'properties':{'value':{'type':'INTEGER'}},'required':['value']}}}"""),
                Arguments.of("response_format text sets nothing",
                        "{'model':'m','messages':[{'role':'user','content':'x'}],'response_format':{'type':'text'}}",
                        "{'contents':[{'role':'user','parts':[{'text':'x'}]}]}"),
                Arguments.of("reasoning_effort becomes a thinking budget with thoughts included",
                        "{'model':'m','messages':[{'role':'user','content':'x'}],'reasoning_effort':'medium'}",
                        """
                        {'contents':[{'role':'user','parts':[{'text':'x'}]}],
                         'generationConfig':{'thinkingConfig':{'includeThoughts':true,'thinkingBudget':8192}}}"""),
                Arguments.of("reasoning_effort none on a model of unknown generation sends nothing: it may not turn thinking off",
                        "{'model':'m','messages':[{'role':'user','content':'x'}],'reasoning_effort':'none'}",
                        "{'contents':[{'role':'user','parts':[{'text':'x'}]}]}"),
                Arguments.of("tool_choice none or auto without tools sends no toolConfig",
                        "{'model':'m','messages':[{'role':'user','content':'x'}],'tool_choice':'none','function_call':'auto'}",
                        "{'contents':[{'role':'user','parts':[{'text':'x'}]}]}"),
                Arguments.of("parameters with no Gemini meaning are dropped",
                        """
                        {'model':'m','messages':[{'role':'user','content':'x','name':'ann'}],'user':'u1','safety_identifier':'s',
                         'prompt_cache_key':'k','metadata':{'a':'b'},'store':true,'logit_bias':{'50256':-100},
                         'service_tier':'flex','prediction':{'type':'content','content':'x'},'verbosity':'low',
                         'parallel_tool_calls':false,'modalities':['text'],'logprobs':true,'top_logprobs':3,
                         'web_search_options':{},'stream':true,'stream_options':{'include_usage':true},
                         'presence_penalty':0,'some_future_field':1}""",
                        "{'contents':[{'role':'user','parts':[{'text':'x'}]}]}"));
    }

    private static String toolChoiceRequest(String choice) {
        return "{'model':'m','messages':[{'role':'user','content':'go'}],"
                + "'tools':[{'type':'function','function':{'name':'a'}},{'type':'function','function':{'name':'b'}}],"
                + "'tool_choice':" + choice + "}";
    }

    private static String toolChoiceBody(String config) {
        return "{'contents':[{'role':'user','parts':[{'text':'go'}]}],"
                + "'tools':[{'functionDeclarations':[{'name':'a'},{'name':'b'}]}],"
                + "'toolConfig':{'functionCallingConfig':" + config + "}}";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappings")
    void mapsRequest(String rule, String openAi, String gemini) {
        JsonObject body = mapWithDefaultBudget(request(openAi), MODEL);

        assertThat(body).isEqualTo(json(gemini));
    }

    @org.junit.jupiter.api.Test
    void modelOutputCapAppliesOnlyWhenTheRequestSetsNone() {
        JsonObject without = mapWithDefaultBudget(request("{'model':'m','messages':[{'role':'user','content':'x'}]}"),
                MODEL_WITH_CAP);
        JsonObject with = mapWithDefaultBudget(request(
                "{'model':'m','messages':[{'role':'user','content':'x'}],'max_completion_tokens':5}"), MODEL_WITH_CAP);

        assertThat(without.getJsonObject("generationConfig")).isEqualTo(json("{'maxOutputTokens':4096}"));
        assertThat(with.getJsonObject("generationConfig")).isEqualTo(json("{'maxOutputTokens':5}"));
    }

    @org.junit.jupiter.api.Test
    void aRequestWhoseToolSchemaChainsThousandsOfRefsIsA400() {
        StringBuilder defs = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            defs.append("'D").append(i).append("':{'$ref':'#/$defs/D").append(i + 1).append("'},");
        }
        String body = "{'model':'m','messages':[{'role':'user','content':'x'}],'tools':[{'type':'function','function':"
                + "{'name':'f','parameters':{'type':'object','properties':{'a':{'$ref':'#/$defs/D0'}},'$defs':{" + defs
                + "'D2000':{'type':'string'}}}}}]}";
        assertThat(body.length()).as("the size of an ordinary request").isLessThan(80_000);

        assertThatThrownBy(() -> mapWithDefaultBudget(request(body), MODEL))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo("tools[0].function.parameters");
                });
    }

    /** upstream model, request fields → the generationConfig sent (null: none). */
    static Stream<Arguments> thinkingPerModel() {
        return Stream.of(
                Arguments.of("gemini-2.5-flash", "'reasoning_effort':'none'", "{'thinkingConfig':{'thinkingBudget':0}}"),
                Arguments.of("gemini-2.5-flash-lite", "'reasoning_effort':'none'", "{'thinkingConfig':{'thinkingBudget':0}}"),
                Arguments.of("models/gemini-2.5-flash-preview-09-2025", "'reasoning_effort':'none'",
                        "{'thinkingConfig':{'thinkingBudget':0}}"),
                // 2.5 Pro and Gemini 3 reject a budget of 0: they keep their default thinking.
                Arguments.of("gemini-2.5-pro", "'reasoning_effort':'none'", null),
                Arguments.of("gemini-3-pro-preview", "'reasoning_effort':'none'", null),
                Arguments.of("gemini-3-flash-preview", "'reasoning_effort':'none'", null),
                // Before 2.5 there is no thinking to configure.
                Arguments.of("gemini-2.0-flash", "'reasoning_effort':'none'", null),
                Arguments.of("gemini-2.0-flash", "'reasoning_effort':'high','max_tokens':300", "{'maxOutputTokens':300}"),
                Arguments.of("gemini-2.5-pro", "'reasoning_effort':'low'", "{'thinkingConfig':{'includeThoughts':true,'thinkingBudget':1024}}"),
                // Thinking counts inside maxOutputTokens: a limit at or below the budget gets the budget on top.
                Arguments.of("gemini-2.5-flash", "'reasoning_effort':'high','max_tokens':300",
                        "{'maxOutputTokens':24876,'thinkingConfig':{'includeThoughts':true,'thinkingBudget':24576}}"),
                Arguments.of("gemini-2.5-flash", "'reasoning_effort':'medium','max_completion_tokens':8192",
                        "{'maxOutputTokens':16384,'thinkingConfig':{'includeThoughts':true,'thinkingBudget':8192}}"),
                Arguments.of("gemini-2.5-flash", "'reasoning_effort':'medium','max_completion_tokens':30000",
                        "{'maxOutputTokens':30000,'thinkingConfig':{'includeThoughts':true,'thinkingBudget':8192}}"),
                Arguments.of("gemini-2.5-flash", "'reasoning_effort':'none','max_tokens':300",
                        "{'maxOutputTokens':300,'thinkingConfig':{'thinkingBudget':0}}"),
                Arguments.of("gemini-2.5-flash", "'reasoning_effort':'max'",
                        "{'thinkingConfig':{'includeThoughts':true,'thinkingBudget':24576}}"));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("thinkingPerModel")
    void thinkingDependsOnTheModelAndKeepsTheLimitAboveTheBudget(String upstreamModel, String fields, String expected) {
        JsonObject body = mapWithDefaultBudget(request("{'model':'m','messages':[{'role':'user','content':'x'}],"
                + fields + "}"), new ModelConfig("gem", "google", upstreamModel, null));

        assertThat(body.getJsonObject("generationConfig")).isEqualTo(expected == null ? null : json(expected));
    }

    @org.junit.jupiter.api.Test
    void theModelEntrysLimitMakesRoomForTheBudgetToo() {
        JsonObject body = mapWithDefaultBudget(request(
                "{'model':'m','messages':[{'role':'user','content':'x'}],'reasoning_effort':'high'}"),
                new ModelConfig("gem", "google", "gemini-2.5-flash", 4096));

        assertThat(body.getJsonObject("generationConfig").getInt("maxOutputTokens")).isEqualTo(4096 + 24576);
    }

    private static final String SKIP = "'thoughtSignature':'skip_thought_signature_validator'";
    private static final String CLAUDE_CALLS = """
            {'role':'assistant','tool_calls':[
              {'id':'toolu_01A','type':'function','function':{'name':'f','arguments':'{}'}},
              {'id':'toolu_01B','type':'function','function':{'name':'g','arguments':'{}'}}]},
            {'role':'tool','tool_call_id':'toolu_01A','content':'1'},{'role':'tool','tool_call_id':'toolu_01B','content':'2'}""";
    private static final String ANSWERS = """
            {'role':'user','parts':[{'functionResponse':{'name':'f','response':{'output':'1'}}},
              {'functionResponse':{'name':'g','response':{'output':'2'}}}]}""";

    /** upstream model, messages, the contents sent. */
    static Stream<Arguments> signatureFallback() {
        return Stream.of(
                Arguments.of("Gemini 3: a step Claude made gets the dummy signature on its first call only",
                        "gemini-3-pro-preview", "{'role':'user','content':'x'}," + CLAUDE_CALLS,
                        "[{'role':'user','parts':[{'text':'x'}]},{'role':'model','parts':["
                                + "{'functionCall':{'name':'f','args':{}}," + SKIP + "},{'functionCall':{'name':'g','args':{}}}]},"
                                + ANSWERS + "]"),
                Arguments.of("Gemini 2.5 does not validate signatures: nothing is added",
                        "gemini-2.5-pro", "{'role':'user','content':'x'}," + CLAUDE_CALLS,
                        "[{'role':'user','parts':[{'text':'x'}]},{'role':'model','parts':["
                                + "{'functionCall':{'name':'f','args':{}}},{'functionCall':{'name':'g','args':{}}}]},"
                                + ANSWERS + "]"),
                Arguments.of("every step of the current turn gets one; a real signature is kept",
                        "gemini-3-flash-preview", """
                        {'role':'user','content':'x'},
                        {'role':'assistant','tool_calls':[{'id':'call_r1_0_0__thought__CiQB+/9=','type':'function',
                          'function':{'name':'f','arguments':'{}'}}]},
                        {'role':'tool','tool_call_id':'call_r1_0_0__thought__CiQB+/9=','content':'1'},
                        {'role':'assistant','content':'Now g.','tool_calls':[{'id':'call_abc','type':'function',
                          'function':{'name':'g','arguments':'{}'}}]},
                        {'role':'tool','tool_call_id':'call_abc','content':'2'}""",
                        "[{'role':'user','parts':[{'text':'x'}]},"
                                + "{'role':'model','parts':[{'functionCall':{'name':'f','args':{}},'thoughtSignature':'CiQB+/9='}]},"
                                + "{'role':'user','parts':[{'functionResponse':{'name':'f','response':{'output':'1'}}}]},"
                                + "{'role':'model','parts':[{'text':'Now g.'},{'functionCall':{'name':'g','args':{}}," + SKIP + "}]},"
                                + "{'role':'user','parts':[{'functionResponse':{'name':'g','response':{'output':'2'}}}]}]"),
                Arguments.of("calls before the last user text belong to an earlier turn, which Gemini does not validate",
                        "gemini-3-pro-preview", """
                        {'role':'user','content':'x'},
                        {'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'{}'}}]},
                        {'role':'tool','tool_call_id':'c1','content':'1'},{'role':'user','content':'y'},
                        {'role':'assistant','tool_calls':[{'id':'c2','type':'function','function':{'name':'g','arguments':'{}'}}]},
                        {'role':'tool','tool_call_id':'c2','content':'2'}""",
                        "[{'role':'user','parts':[{'text':'x'}]},{'role':'model','parts':[{'functionCall':{'name':'f','args':{}}}]},"
                                + "{'role':'user','parts':[{'functionResponse':{'name':'f','response':{'output':'1'}}},{'text':'y'}]},"
                                + "{'role':'model','parts':[{'functionCall':{'name':'g','args':{}}," + SKIP + "}]},"
                                + "{'role':'user','parts':[{'functionResponse':{'name':'g','response':{'output':'2'}}}]}]"),
                Arguments.of("a trailing call without a result is followed by the placeholder text, which starts a new turn",
                        "gemini-3-pro-preview", """
                        {'role':'user','content':'x'},
                        {'role':'assistant','tool_calls':[{'id':'c1','type':'function','function':{'name':'f','arguments':'{}'}}]}""",
                        "[{'role':'user','parts':[{'text':'x'}]},{'role':'model','parts':[{'functionCall':{'name':'f','args':{}}}]},"
                                + "{'role':'user','parts':[{'text':'Please continue.'}]}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signatureFallback")
    void functionCallsWithoutASignatureGetTheDummyWhereGeminiRequiresOne(String rule, String upstreamModel,
                                                                        String messages, String contents) {
        JsonObject body = mapWithDefaultBudget(request("{'model':'m','messages':[" + messages + "]}"),
                new ModelConfig("gem", "google", upstreamModel, null));

        assertThat(body.getJsonArray("contents")).isEqualTo(json("{'c':" + contents + "}").getJsonArray("c"));
    }

    static Stream<Arguments> refusals() {
        String user = "{'role':'user','content':'x'}";
        return Stream.of(
                Arguments.of("an image URL whose type cannot be told",
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'text','text':'a'},"
                                + "{'type':'image_url','image_url':{'url':'https://example.com/picture'}}]}]}",
                        "messages[0].content[1].image_url.url", "data URL"),
                Arguments.of("an extensionless CDN URL: Switchboard would have to guess the media type",
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'image_url','image_url':"
                                + "{'url':'https://cdn.example/x?id=1'}}]}]}",
                        "messages[0].content[0].image_url.url", "data URL"),
                Arguments.of("a GIF data URL: not an image type Gemini takes",
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'text','text':'a'},"
                                + "{'type':'image_url','image_url':{'url':'data:image/gif;base64,R0lGOD=='}}]}]}",
                        "messages[0].content[1].image_url.url", "'image/gif'; Gemini accepts image/png"),
                Arguments.of("a BMP sent as a file",
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'file','file':"
                                + "{'file_data':'data:image/bmp;base64,Qk0='}}]}]}",
                        "messages[0].content[0].file.file_data", "'image/bmp'"),
                Arguments.of("a gs:// image URL (Vertex only)",
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'gs://b/a.png'}}]}]}",
                        "messages[0].content[0].image_url.url", "gs:"),
                Arguments.of("a data URL that is not base64",
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:image/png,abc'}}]}]}",
                        "messages[0].content[0].image_url.url", "base64"),
                Arguments.of("an OpenAI file id",
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'file','file':{'file_id':'file-abc'}}]}]}",
                        "messages[0].content[0].file.file_id", "file_data"),
                Arguments.of("an audio format Gemini is not given",
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'input_audio','input_audio':{'data':'AA==','format':'ogg'}}]}]}",
                        "messages[0].content[0].input_audio.format", "wav"),
                Arguments.of("an unknown user part type",
                        "{'model':'m','messages':[{'role':'user','content':[{'type':'video','video':{}}]}]}",
                        "messages[0].content[0]", "'video'"),
                Arguments.of("an image in a system message",
                        "{'model':'m','messages':[{'role':'system','content':[{'type':'image_url','image_url':{'url':'data:image/png;base64,AA=='}}]}," + user + "]}",
                        "messages[0].content[0]", "must be text"),
                Arguments.of("a tool result answering no known call",
                        "{'model':'m','messages':[" + user + ",{'role':'tool','tool_call_id':'nope','content':'1'}]}",
                        "messages[1].tool_call_id", "'nope'"),
                Arguments.of("tool-call arguments that are not a JSON object",
                        "{'model':'m','messages':[" + user + ",{'role':'assistant','tool_calls':[{'id':'c','type':'function',"
                                + "'function':{'name':'f','arguments':'[1]'}}]}]}",
                        "messages[1].tool_calls[0].function.arguments", "JSON object"),
                Arguments.of("legacy function_call arguments that are not a string",
                        "{'model':'m','messages':[" + user + ",{'role':'assistant','function_call':{'name':'f','arguments':{}}}]}",
                        "messages[1].function_call.arguments", "JSON object"),
                Arguments.of("a custom tool call in the history",
                        "{'model':'m','messages':[" + user + ",{'role':'assistant','tool_calls':[{'id':'c','type':'custom',"
                                + "'custom':{'name':'f','input':'x'}}]}]}",
                        "messages[1].tool_calls[0].type", "function calls"),
                Arguments.of("a custom tool",
                        "{'model':'m','messages':[" + user + "],'tools':[{'type':'custom','custom':{'name':'f'}}]}",
                        "tools[0].type", "only function tools"),
                Arguments.of("a function name Gemini rejects",
                        "{'model':'m','messages':[" + user + "],'tools':[{'type':'function','function':{'name':'1st'}}]}",
                        "tools[0].function.name", "letter or underscore"),
                Arguments.of("tool_choice naming an undeclared function",
                        "{'model':'m','messages':[" + user + "],'tools':[{'type':'function','function':{'name':'a'}}],"
                                + "'tool_choice':{'type':'function','function':{'name':'z'}}}",
                        "tool_choice.function.name", "declared"),
                Arguments.of("an empty allowed_tools list",
                        "{'model':'m','messages':[" + user + "],'tools':[{'type':'function','function':{'name':'a'}}],"
                                + "'tool_choice':{'type':'allowed_tools','allowed_tools':{'mode':'required','tools':[]}}}",
                        "tool_choice.allowed_tools.tools", "at least one"),
                Arguments.of("allowed_tools naming an undeclared function",
                        "{'model':'m','messages':[" + user + "],'tools':[{'type':'function','function':{'name':'a'}}],"
                                + "'tool_choice':{'type':'allowed_tools','allowed_tools':{'mode':'auto',"
                                + "'tools':[{'type':'function','function':{'name':'a'}},{'type':'function','function':{'name':'z'}}]}}}",
                        "tool_choice.allowed_tools.tools[1]", "declared"),
                Arguments.of("tool_choice required without tools: the client would wait for a call that never comes",
                        "{'model':'m','messages':[" + user + "],'tool_choice':'required'}",
                        "tool_choice", "requires tools, but the request declares none"),
                Arguments.of("a named tool_choice without tools",
                        "{'model':'m','messages':[" + user + "],'tools':[],"
                                + "'tool_choice':{'type':'function','function':{'name':'x'}}}",
                        "tool_choice", "requires tools"),
                Arguments.of("allowed_tools without tools",
                        "{'model':'m','messages':[" + user + "],'tool_choice':{'type':'allowed_tools',"
                                + "'allowed_tools':{'mode':'auto','tools':[{'type':'function','function':{'name':'x'}}]}}}",
                        "tool_choice", "requires tools"),
                Arguments.of("a named legacy function_call without functions",
                        "{'model':'m','messages':[" + user + "],'function_call':{'name':'x'}}",
                        "function_call", "requires tools"),
                Arguments.of("an unknown tool_choice string",
                        "{'model':'m','messages':[" + user + "],'tools':[{'type':'function','function':{'name':'a'}}],"
                                + "'tool_choice':'sometimes'}",
                        "tool_choice", "'sometimes'"),
                Arguments.of("a recursive tool schema",
                        "{'model':'m','messages':[" + user + "],'tools':[{'type':'function','function':{'name':'a',"
                                + "'parameters':{'type':'object','properties':{'node':{'$ref':'#/$defs/N'}},"
                                + "'$defs':{'N':{'type':'object','properties':{'next':{'$ref':'#/$defs/N'}}}}}}}]}",
                        "tools[0].function.parameters", "recursive"),
                Arguments.of("an unknown response_format type",
                        "{'model':'m','messages':[" + user + "],'response_format':{'type':'grammar'}}",
                        "response_format.type", "'grammar'"),
                Arguments.of("an unknown reasoning_effort, naming every accepted value",
                        "{'model':'m','messages':[" + user + "],'reasoning_effort':'extreme'}",
                        "reasoning_effort", "must be none, minimal, low, medium, high, xhigh or max, not 'extreme'"),
                Arguments.of("max_tokens below 1",
                        "{'model':'m','messages':[" + user + "],'max_tokens':0}",
                        "max_tokens", "at least 1"),
                Arguments.of("max_completion_tokens below 1, even beside a valid max_tokens",
                        "{'model':'m','messages':[" + user + "],'max_completion_tokens':-5,'max_tokens':10}",
                        "max_completion_tokens", "at least 1"),
                Arguments.of("messages with no content at all",
                        "{'model':'m','messages':[{'role':'user','content':''}]}",
                        "messages", "no content"));
    }

    @ParameterizedTest(name = "400 for {0}")
    @MethodSource("refusals")
    void refusesWhatGeminiCannotTake(String what, String openAi, String param, String messageFragment) {
        assertThatThrownBy(() -> mapWithDefaultBudget(request(openAi), MODEL))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(400);
                    assertThat(e.error().type()).isEqualTo("invalid_request_error");
                    assertThat(e.error().param()).isEqualTo(param);
                    assertThat(e.error().message()).contains(messageFragment);
                });
    }

    /** Maps with the budget the connector would give this request at the default factor. */
    static JsonObject mapWithDefaultBudget(ChatRequest request, ModelConfig model) {
        return GeminiRequestMapper.map(request.llmRequest(), Protocol.CHAT, model,
                new TranslationBudget(request.bodyLength(), ProviderConfig.DEFAULT_MAX_TRANSLATION_FACTOR));
    }
}
