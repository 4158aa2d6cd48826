-- The schema of v1.2.2, in production before v1.2.3.
CREATE TABLE uploads (id bigserial PRIMARY KEY, student text NOT NULL, file_name text NOT NULL, bytes int NOT NULL, bucket text NOT NULL);
INSERT INTO uploads (student, file_name, bytes, bucket) SELECT 'student' || (i % 300), 'essay-' || i || '.pdf', 1000 + i, 'hogwarts-uploads' FROM generate_series(1, 3000) i;
