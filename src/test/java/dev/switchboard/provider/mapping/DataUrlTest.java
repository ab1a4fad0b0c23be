package dev.switchboard.provider.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataUrlTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "data:image/png;base64,iVBORw0KGgo=            | image/png       | iVBORw0KGgo=",
            "DATA:Image/PNG;BASE64,iVBORw0KGgo=            | image/png       | iVBORw0KGgo=",
            "data:image/png;Base64,a,b                     | image/png       | a,b",
            "data:text/plain;charset=utf-8;base64,aGk=     | text/plain      | aGk=",
            "data: application/pdf ; base64 ,JVBERi0=      | application/pdf | JVBERi0=",
            "data:;base64,aGk=                             | text/plain      | aGk=",
            "data:image/jpeg;base64,                       | image/jpeg      | ''",
            // The unregistered spelling many clients send; both providers reject it as such.
            "data:image/jpg;base64,/9j/4AAQ                | image/jpeg      | /9j/4AAQ",
            "data:IMAGE/JPG;base64,/9j/4AAQ                | image/jpeg      | /9j/4AAQ",
    })
    void splitsBase64DataUrlsCaseInsensitively(String url, String mediaType, String base64) {
        assertThat(DataUrl.isDataUrl(url)).isTrue();
        assertThat(DataUrl.parse(url)).isEqualTo(new DataUrl(mediaType, base64));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"data:image/png,%89PNG", "data:image/png;base64", "data:image/png;base64x,AA==",
            "data:,text", "https://example.com/a.png", "dat:image/png;base64,AA=="})
    void anythingElseIsNotABase64DataUrl(String url) {
        assertThat(DataUrl.parse(url)).isNull();
    }
}
